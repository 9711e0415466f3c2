import { Rule } from '../../types';
import { flagsRule, flagViolation } from './flags';

const REQUIRED: Array<[string, string]> = [
  ['tls-cert-file', 'the API server\'s serving certificate'],
  ['tls-private-key-file', 'the key of the serving certificate'],
  ['client-ca-file', 'the CA that signs client certificates'],
  ['kubelet-client-certificate', 'the certificate the API server presents to kubelets'],
  ['kubelet-client-key', 'the key of the kubelet client certificate'],
  ['kubelet-certificate-authority', 'the CA that signed the kubelets\' serving certificates (without it the API server does not verify kubelets)'],
  ['service-account-key-file', 'the public key that verifies ServiceAccount tokens'],
];

export const apiserverPki: Rule = flagsRule({
  id: 'control-plane/apiserver-pki',
  title: 'The API server must serve TLS, verify client certificates, and verify and authenticate to kubelets',
  severity: 'high',
  waivable: true,
  rationale: 'Without a client CA, certificates are not an authentication method; without kubelet client credentials and the kubelet CA, exec, logs and port-forward traffic goes to whoever answers on a node\'s port.',
  remediation: 'Set --tls-cert-file, --tls-private-key-file, --client-ca-file, --kubelet-client-certificate, --kubelet-client-key, --kubelet-certificate-authority and --service-account-key-file (kubeadm\'s paths are under /etc/kubernetes/pki); kubelets then need serving certificates signed by the cluster CA (serverTLSBootstrap).',
  manifestRemediation: 'On the kube-apiserver command set --tls-cert-file, --tls-private-key-file, --client-ca-file, --kubelet-client-certificate, --kubelet-client-key, --kubelet-certificate-authority and --service-account-key-file.',
  references: [
    { source: 'CIS', id: '1.2.4, 1.2.5, 1.2.22, 1.2.24, 1.2.25' },
    { source: 'Checkov', id: 'CKV_K8S_72, CKV_K8S_73, CKV_K8S_97, CKV_K8S_100' },
  ],
}, 'apiServer', (flags) => REQUIRED.filter(([name]) => !flags.get(name))
  .map(([name, what]) => flagViolation(flags, name, 'certificate not configured', `must name ${what}`)));
