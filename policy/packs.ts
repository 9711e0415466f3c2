import { RECOMMENDED_RULES } from './catalog';
import { CONTROL_PLANE_RULES } from './rules/control-plane';
import { POD_SECURITY_RULES, PodSecurityLevel, PodSecurityRule } from './rules/pod-security';
import { PolicyVersion, Rule } from './types';

export type PackName = 'pss-baseline' | 'pss-restricted' | 'bulwark-recommended' | 'cis-control-plane';
export const PACK_NAMES: readonly PackName[] = ['pss-baseline', 'pss-restricted', 'bulwark-recommended', 'cis-control-plane'];

/**
 * The Pod Security checks in force for a level at a Kubernetes minor. Upstream, a restricted check
 * replaces the baseline check it overrides; here the baseline check stays on as well. The verdict
 * is the same (each restricted check is stricter than what it overrides), but a Waiver of the
 * restricted check can then never relax the baseline: waiving capabilities-restricted does not
 * admit SYS_ADMIN, and waiving restricted-volumes does not admit a hostPath.
 */
export function podSecurityRules(level: PodSecurityLevel, version: PolicyVersion): PodSecurityRule[] {
  const active = POD_SECURITY_RULES.filter((r) => r.entryAt(version) !== undefined);
  return level === 'baseline' ? active.filter((r) => r.level === 'baseline') : active;
}

export function packRules(name: PackName, version: PolicyVersion): Rule[] {
  switch (name) {
    case 'pss-baseline': return podSecurityRules('baseline', version);
    case 'pss-restricted': return podSecurityRules('restricted', version);
    case 'bulwark-recommended': return [...RECOMMENDED_RULES];
    // Control-plane configuration files (not API objects): see policy/rules/control-plane/index.ts.
    case 'cis-control-plane': return [...CONTROL_PLANE_RULES];
    default: throw new Error(`unknown rule pack "${name as string}": use one of ${PACK_NAMES.join(', ')}`);
  }
}
