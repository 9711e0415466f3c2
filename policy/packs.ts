import { RECOMMENDED_RULES } from './catalog';
import { POD_SECURITY_RULES, PodSecurityLevel, PodSecurityRule } from './rules/pod-security';
import { compareVersions, PolicyVersion, Rule } from './types';

export type PackName = 'pss-baseline' | 'pss-restricted' | 'bulwark-recommended';
export const PACK_NAMES: readonly PackName[] = ['pss-baseline', 'pss-restricted', 'bulwark-recommended'];

/**
 * The Pod Security checks in force for a level at a Kubernetes minor, with the upstream override
 * semantics: at "restricted", a restricted check replaces the baseline checks it overrides
 * (except non-waivable ones, which stay on; the verdict is the same, restricted being stricter).
 */
export function podSecurityRules(level: PodSecurityLevel, version: PolicyVersion): PodSecurityRule[] {
  const active = POD_SECURITY_RULES.filter((r) => r.entryAt(version) !== undefined);
  const baseline = active.filter((r) => r.level === 'baseline');
  if (level === 'baseline') return baseline;
  const restricted = active.filter((r) => r.level === 'restricted');
  const overridden = new Set(restricted.flatMap((r) => r.entryAt(version)?.overrides ?? []));
  // A non-waivable baseline rule stays on even where a (waivable) restricted rule overrides it,
  // so waiving pod-security/restricted-volumes can never let a hostPath volume through.
  return [...baseline.filter((r) => !overridden.has(r.id) || !r.waivable), ...restricted];
}

export function packRules(name: PackName, version: PolicyVersion): Rule[] {
  switch (name) {
    case 'pss-baseline': return podSecurityRules('baseline', version);
    case 'pss-restricted': return podSecurityRules('restricted', version);
    case 'bulwark-recommended': return [...RECOMMENDED_RULES];
    default: throw new Error(`unknown rule pack "${name as string}": use one of ${PACK_NAMES.join(', ')}`);
  }
}

/** The newest minor any Pod Security check knows about; later versions evaluate as this one. */
export const NEWEST_POLICY_VERSION: PolicyVersion = POD_SECURITY_RULES
  .flatMap((r) => r.versions.map((e) => e.since))
  .reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
