import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation } from './flags';
import { ACCEPTED_CIPHER_SUITES, ACCEPTED_TLS_MIN_VERSIONS } from './hardening';

export const apiserverTls: Rule = flagsRule({
  id: 'control-plane/apiserver-tls',
  title: 'The API server must accept TLS 1.2 or later with strong cipher suites only',
  severity: 'medium',
  waivable: true,
  rationale: 'Go\'s default list still offers CBC and RSA key-exchange suites to TLS 1.2 clients; they lack forward secrecy or are prone to padding attacks.',
  remediation: 'Set --tls-min-version=VersionTLS12 (or VersionTLS13) and --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305.',
  manifestRemediation: 'On the kube-apiserver command set --tls-min-version=VersionTLS12 (or VersionTLS13) and --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305.',
  references: [
    { source: 'CIS', id: '1.2.29' },
    { source: 'Checkov', id: 'CKV_K8S_105' },
  ],
}, 'apiServer', (flags): Violation[] => {
  const out: Violation[] = [];
  if (!ACCEPTED_TLS_MIN_VERSIONS.has(flags.get('tls-min-version') ?? '')) out.push(flagViolation(flags, 'tls-min-version', 'old TLS accepted', 'must be VersionTLS12 or VersionTLS13'));
  const suites = flags.list('tls-cipher-suites');
  const weak = suites.filter((s) => !ACCEPTED_CIPHER_SUITES.has(s));
  if (suites.length === 0) out.push(flagViolation(flags, 'tls-cipher-suites', 'default cipher suites', 'must list strong suites only (Go\'s default list includes CBC suites)'));
  else if (weak.length > 0) out.push(flagViolation(flags, 'tls-cipher-suites', 'weak cipher suites', `must not list ${weak.join(', ')}`));
  return out;
});
