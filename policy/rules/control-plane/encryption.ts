/** Reading an EncryptionConfiguration (apiserver.config.k8s.io/v1), for the encryption rules. */
import { isKindOf } from '../../config-files';
import { KubeObject } from '../../types';

export interface ProviderEntry {
  /** Index of the resources entry. */
  readonly index: number;
  readonly resources: string[];
  /** Provider type names in order, e.g. ['kms', 'secretbox', 'identity']. */
  readonly providers: Array<{ type: string; config: any; path: string }>;
}

export function isEncryptionConfiguration(o: KubeObject): boolean {
  return isKindOf(o, ['apiserver.config.k8s.io'], 'EncryptionConfiguration');
}

export function providerEntries(o: KubeObject): ProviderEntry[] {
  const entries: any[] = Array.isArray(o.resources) ? o.resources : [];
  return entries.map((e, index) => ({
    index,
    resources: (Array.isArray(e?.resources) ? e.resources : []).map(String),
    providers: (Array.isArray(e?.providers) ? e.providers : []).map((p: any, i: number) => {
      const type = Object.keys(p ?? {})[0] ?? '(none)';
      return { type, config: p?.[type], path: `resources[${index}].providers[${i}]` };
    }),
  }));
}

/** True when a resources entry applies to Secrets ("secrets", "*." for the core group, or "*.*"). */
export function coversSecrets(resources: readonly string[]): boolean {
  return resources.some((r) => r === 'secrets' || r === '*.' || r === '*.*');
}
