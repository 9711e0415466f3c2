import { Rule, Violation } from '../../types';
import { coversSecrets, isEncryptionConfiguration, providerEntries } from './encryption';

/** Providers that encrypt well enough to write with: KMS v2, XSalsa20-Poly1305, AES-CBC. */
const STRONG = new Set(['kms', 'secretbox', 'aescbc']);

export const encryptionProviders: Rule = {
  id: 'control-plane/encryption-providers',
  title: 'Secrets must be written encrypted, by KMS v2, secretbox or aescbc',
  severity: 'high',
  waivable: false,
  rationale: 'The first provider of an entry encrypts every write. identity writes plain text; aesgcm is only safe with a key rotated every 200,000 writes; KMS v1 is deprecated and off by default. An EncryptionConfiguration that names no Secrets leaves them in plain text.',
  remediation: 'Cover "secrets" (and any other sensitive resource) with a KMS v2 provider first, or secretbox (or aescbc) with a key provisioned on the node.',
  manifestRemediation: 'In the EncryptionConfiguration, put a kms (apiVersion: v2), secretbox or aescbc provider first in the resources[] entry covering secrets (and other sensitive resources).',
  references: [
    { source: 'CIS', id: '1.2.28' },
    { source: 'Checkov', id: 'CKV_K8S_104' },
    { source: 'Kubernetes', id: 'Encrypting Confidential Data at Rest', url: 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/' },
  ],
  check(object): Violation[] {
    if (!isEncryptionConfiguration(object)) return [];
    const entries = providerEntries(object);
    const out: Violation[] = [];
    if (!entries.some((e) => coversSecrets(e.resources))) {
      out.push({ path: 'resources', reason: 'Secrets not encrypted', detail: 'EncryptionConfiguration has no entry for "secrets": Secrets are stored in plain text' });
    }
    for (const e of entries) {
      const first = e.providers[0];
      if (!first) {
        out.push({ path: `resources[${e.index}].providers`, reason: 'no provider', detail: `EncryptionConfiguration entry for ${e.resources.join(', ')} has no provider` });
      } else if (!STRONG.has(first.type)) {
        out.push({ path: first.path, reason: 'weak first provider', detail: `${e.resources.join(', ')} are written with "${first.type}": the first provider must be kms (v2), secretbox or aescbc` });
      } else if (first.type === 'kms' && first.config?.apiVersion !== 'v2') {
        out.push({ path: first.path, reason: 'KMS v1', detail: `${e.resources.join(', ')} are written with KMS v1, which is deprecated and disabled by default: set kms.apiVersion to v2` });
      }
    }
    return out;
  },
};
