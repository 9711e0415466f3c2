import { buildApp } from './app';

// `npm run synth` (and `cdk8s synth`): writes dist/*.k8s.yaml. Bulwark checks every object
// first and throws, listing each finding with its fix, if anything is weakened.
buildApp().synth();
