import { Rule, Violation } from '../../types';
import { isEncryptionConfiguration, providerEntries } from './encryption';

export const encryptionIdentityFallback: Rule = {
  id: 'control-plane/encryption-identity-fallback',
  title: 'An EncryptionConfiguration may keep the identity provider only during a migration',
  severity: 'medium',
  waivable: true,
  rationale: 'identity after the encrypting provider lets the API server read Secrets still stored in plain text. That is needed while existing Secrets are rewritten after encryption is turned on, and is a hole afterwards: plain-text data written straight to etcd is accepted as valid.',
  remediation: 'Rewrite every Secret (kubectl get secrets -A -o json | kubectl replace -f -), then remove identity; while migrating, waive with the reason and an expiry date (ControlPlane\'s encryption.migration prop does that).',
  manifestRemediation: 'Remove the identity: {} provider from the EncryptionConfiguration once every Secret has been rewritten (kubectl get secrets -A -o json | kubectl replace -f -).',
  references: [
    { source: 'CIS', id: '1.2.28' },
    { source: 'Kubernetes', id: 'Encrypting Confidential Data at Rest', url: 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/' },
  ],
  check(object): Violation[] {
    if (!isEncryptionConfiguration(object)) return [];
    return providerEntries(object).flatMap((e) => e.providers.slice(1).filter((p) => p.type === 'identity')
      .map((p) => ({ path: p.path, reason: 'plain-text fallback', detail: `${e.resources.join(', ')} may still be read in plain text (identity provider): remove it once every object was rewritten` })));
  },
};
