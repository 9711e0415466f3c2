import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { referenceClusters } from './app';
import { writeControlPlaneFiles } from './control-plane-files';

// cdk8s entry point (cdk8s.yaml, `npm run synth`, `cdk8s synth`): each reference cluster is written
// to its own folder, <out>/<cluster>/*.k8s.yaml, failing on any unwaived policy finding, then its
// control-plane files under <out>/<cluster>/control-plane/. <out> is CDK8S_OUTDIR (`cdk8s synth`
// sets it from cdk8s.yaml's `output` or --output), else dist. Like `cdk8s synth`, synth starts from
// an empty <out>, so both commands leave the same files: nothing stale from an earlier layout.
const out = path.resolve(process.env.CDK8S_OUTDIR || 'dist');
const cwd = path.resolve('.');
if (out === cwd || cwd.startsWith(`${out}${path.sep}`) || path.dirname(out) === out || out === os.homedir()) {
  throw new Error(`CDK8S_OUTDIR "${process.env.CDK8S_OUTDIR}" is this project's folder, one above it or the home folder, which synth would empty. Name a folder of its own, e.g. dist.`);
}
fs.rmSync(out, { recursive: true, force: true });
for (const cluster of referenceClusters()) {
  cluster.synth();
  writeControlPlaneFiles(cluster, cluster.outdir);
}
