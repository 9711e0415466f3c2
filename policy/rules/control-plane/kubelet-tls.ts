import { Rule, Violation } from '../../types';
import { ACCEPTED_CIPHER_SUITES, ACCEPTED_TLS_MIN_VERSIONS } from './hardening';
import { kubeletRule, kubeletViolation } from './kubelet';

export const kubeletTls: Rule = kubeletRule({
  id: 'control-plane/kubelet-tls',
  title: 'Kubelets must rotate their certificates, serve with a CA-signed certificate and use strong TLS only',
  severity: 'high',
  waivable: true,
  rationale: 'A self-signed kubelet serving certificate cannot be verified by the API server (so exec and logs traffic could be intercepted); certificates that are not rotated expire or outlive a compromise; weak cipher suites lack forward secrecy.',
  remediation: 'Set rotateCertificates: true, serverTLSBootstrap: true (then approve the kubelet-serving CertificateSigningRequests), tlsMinVersion: VersionTLS12 and tlsCipherSuites to ECDHE AES-GCM or ChaCha20-Poly1305 suites.',
  manifestRemediation: 'In the KubeletConfiguration set rotateCertificates: true, serverTLSBootstrap: true, tlsMinVersion: VersionTLS12 and tlsCipherSuites to ECDHE AES-GCM or ChaCha20-Poly1305 suites.',
  references: [
    { source: 'CIS', id: '4.2.9, 4.2.10, 4.2.11, 4.2.12' },
    { source: 'Checkov', id: 'CKV_K8S_148, CKV_K8S_149, CKV_K8S_151' },
  ],
}, (o): Violation[] => {
  const out: Violation[] = [];
  if (o.rotateCertificates !== true) out.push(kubeletViolation(o, 'rotateCertificates', 'client certificate not rotated', 'must be true'));
  if (o.serverTLSBootstrap !== true) out.push(kubeletViolation(o, 'serverTLSBootstrap', 'self-signed serving certificate', 'must be true, so the serving certificate is signed by the cluster CA and rotated'));
  if (!ACCEPTED_TLS_MIN_VERSIONS.has(o.tlsMinVersion)) out.push(kubeletViolation(o, 'tlsMinVersion', 'old TLS accepted', 'must be VersionTLS12 or VersionTLS13'));
  const suites: unknown[] = Array.isArray(o.tlsCipherSuites) ? o.tlsCipherSuites : [];
  const weak = suites.filter((s) => !ACCEPTED_CIPHER_SUITES.has(String(s)));
  if (suites.length === 0) out.push(kubeletViolation(o, 'tlsCipherSuites', 'default cipher suites', 'must list strong suites only (Go\'s default list includes CBC suites)'));
  else if (weak.length > 0) out.push(kubeletViolation(o, 'tlsCipherSuites', 'weak cipher suites', `must not list ${weak.join(', ')}`));
  return out;
});
