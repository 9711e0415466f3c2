import { buildApp } from './app';

// cdk8s entry point (cdk8s.yaml, `npm run synth`): writes dist/*.k8s.yaml, failing on any
// unwaived policy finding.
buildApp().synth();
