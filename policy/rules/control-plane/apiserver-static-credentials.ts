import { Rule } from '../../types';
import { flagsRule, flagViolation } from './flags';

const STATIC_CREDENTIALS = ['token-auth-file', 'basic-auth-file'];

export const apiserverStaticCredentials: Rule = flagsRule({
  id: 'control-plane/apiserver-static-credentials',
  title: 'The API server must not read static token or password files',
  severity: 'critical',
  waivable: false,
  rationale: 'Static tokens never expire, cannot be revoked without restarting the API server, and sit in clear text on every control-plane node.',
  remediation: 'Remove --token-auth-file and --basic-auth-file; sign people in through OIDC (an AuthenticationConfiguration) and give workloads ServiceAccount tokens.',
  manifestRemediation: 'Remove --token-auth-file and --basic-auth-file from the kube-apiserver command (kubeadm: apiServer.extraArgs) and sign people in through an AuthenticationConfiguration jwt issuer.',
  references: [
    { source: 'CIS', id: '1.2.2' },
    { source: 'Checkov', id: 'CKV_K8S_70, CKV_K8S_69' },
  ],
}, 'apiServer', (flags) => STATIC_CREDENTIALS.filter((f) => flags.has(f))
  .map((f) => flagViolation(flags, f, 'static credentials', 'must not be set: static credential files cannot expire or be revoked')));
