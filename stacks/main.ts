import { referenceClusters } from './app';
import { writeControlPlaneFiles } from './control-plane-files';

// cdk8s entry point (cdk8s.yaml, `npm run synth`): each reference cluster is written to its own
// folder, dist/<cluster>/*.k8s.yaml, failing on any unwaived policy finding, then its
// control-plane files under dist/<cluster>/control-plane/.
for (const cluster of referenceClusters()) {
  cluster.synth();
  writeControlPlaneFiles(cluster, cluster.outdir);
}
