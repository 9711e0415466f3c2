import { isKindOf } from '../../config-files';
import { KubeObject, Rule, Violation } from '../../types';
import { isEncryptionConfiguration, providerEntries } from './encryption';
import { isSecretRef, SECRET_REF_PREFIX } from './hardening';

const KEYED = new Set(['secretbox', 'aescbc', 'aesgcm']);

/** Every secret-bearing field of a rendered control-plane document, with its path. */
function secretFields(o: KubeObject): Array<{ path: string; value: unknown; what: string }> {
  if (isEncryptionConfiguration(o)) {
    return providerEntries(o).flatMap((e) => e.providers.filter((p) => KEYED.has(p.type))
      .flatMap((p) => (Array.isArray(p.config?.keys) ? p.config.keys : []).map((k: any, i: number) => ({ path: `${p.path}.${p.type}.keys[${i}].secret`, value: k?.secret, what: `encryption key "${k?.name}"` }))));
  }
  const out: Array<{ path: string; value: unknown; what: string }> = [];
  if (isKindOf(o, ['kubeadm.k8s.io'], 'JoinConfiguration')) {
    if (o.discovery?.bootstrapToken?.token !== undefined) out.push({ path: 'discovery.bootstrapToken.token', value: o.discovery.bootstrapToken.token, what: 'bootstrap token' });
    if (o.discovery?.tlsBootstrapToken !== undefined) out.push({ path: 'discovery.tlsBootstrapToken', value: o.discovery.tlsBootstrapToken, what: 'TLS bootstrap token' });
    if (o.controlPlane?.certificateKey !== undefined) out.push({ path: 'controlPlane.certificateKey', value: o.controlPlane.certificateKey, what: 'certificate key' });
  }
  if (isKindOf(o, ['kubeadm.k8s.io'], 'InitConfiguration')) {
    (Array.isArray(o.bootstrapTokens) ? o.bootstrapTokens : []).forEach((t: any, i: number) => out.push({ path: `bootstrapTokens[${i}].token`, value: t?.token, what: 'bootstrap token' }));
    if (o.certificateKey !== undefined) out.push({ path: 'certificateKey', value: o.certificateKey, what: 'certificate key' });
  }
  return out;
}

export const noInlineSecrets: Rule = {
  id: 'control-plane/no-inline-secrets',
  title: 'Rendered control-plane files must reference key material, never contain it',
  severity: 'critical',
  waivable: false,
  rationale: 'Rendered files go to dist/, into git, CI logs and snapshots. An encryption key there decrypts every etcd backup; a bootstrap token there lets anyone join a node. Keys belong in the environment or a file on the node, read at provisioning time.',
  remediation: `Use a SecretSource (env or file) so the file carries a "${SECRET_REF_PREFIX}..." reference, and materialize it on the node with stacks/provision-control-plane.ts.`,
  manifestRemediation: 'Take the key, token or password out of the committed file: write it on the node at provisioning time from a secret store, and leave only a reference in the file.',
  references: [
    { source: 'CIS', id: '1.2.28' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: encrypt Secrets, protect the encryption key' },
  ],
  check(object): Violation[] {
    return secretFields(object).filter((f) => f.value !== undefined && f.value !== '' && !isSecretRef(f.value))
      .map((f) => ({ path: f.path, reason: 'inline secret', detail: `${object.kind} holds the ${f.what} itself: reference it ("${SECRET_REF_PREFIX}<format>:env:<VARIABLE>") and provision it on the node` }));
  },
};
