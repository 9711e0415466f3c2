import { buildApp } from './app';
import { writeControlPlaneFiles } from './control-plane-files';

// cdk8s entry point (cdk8s.yaml, `npm run synth`): writes dist/*.k8s.yaml, failing on any
// unwaived policy finding, then the node configuration files under dist/control-plane/.
const app = buildApp();
app.synth();
writeControlPlaneFiles(app, app.outdir);
