import { join, podSitesIn } from '../../pod-spec';
import { compareVersions, KubeObject, PolicyVersion, Reference, Rule, RuleContext, RuleMeta, Violation } from '../../types';

export type PodSecurityLevel = 'baseline' | 'restricted';

/** One violation of a Pod Security check, with a path relative to the pod spec (or its metadata). */
export interface PodViolation {
  /** Relative to the pod spec, e.g. 'containers[0].securityContext.privileged'. */
  readonly field: string;
  /** True when `field` is relative to the pod metadata instead (annotations). */
  readonly inMetadata?: boolean;
  readonly container?: string;
  readonly detail: string;
}

export type PodCheck = (metadata: { annotations?: Record<string, string> }, spec: any) => PodViolation[];

export interface VersionedPodCheck {
  /** First Kubernetes minor this behaviour applies to, as in the upstream registry. */
  readonly since: PolicyVersion;
  readonly check: PodCheck;
  /** Baseline rule ids upstream drops at restricted from `since` on (Bulwark keeps them on; see packs.ts). */
  readonly overrides?: readonly string[];
}

export interface PodSecurityRuleProps extends Omit<RuleMeta, 'references'> {
  /** The upstream pod-security-admission check id, e.g. 'runAsNonRoot'. */
  readonly psaCheck: string;
  readonly level: PodSecurityLevel;
  /** The short reason PSA reports, e.g. 'allowPrivilegeEscalation != false'. */
  readonly reason: string;
  /** Strictly increasing by `since`. */
  readonly versions: readonly VersionedPodCheck[];
  /** References beyond the PSS control, which is cited automatically. */
  readonly references?: readonly Reference[];
}

export interface PodSecurityRule extends Rule {
  readonly psaCheck: string;
  readonly level: PodSecurityLevel;
  readonly versions: readonly VersionedPodCheck[];
  /** The version entry in force at `version`, if the check exists there. */
  entryAt(version: PolicyVersion): VersionedPodCheck | undefined;
}

export function v(minor: number): PolicyVersion {
  return { major: 1, minor };
}

const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Builds a Pod Security Standards rule that behaves like the upstream check at every minor. */
export function definePodSecurityRule(props: PodSecurityRuleProps): PodSecurityRule {
  const { versions, psaCheck, reason } = props;
  for (let i = 1; i < versions.length; i++) {
    if (compareVersions(versions[i - 1].since, versions[i].since) >= 0) {
      throw new Error(`${props.id}: versions must be strictly increasing`);
    }
  }
  const entryAt = (version: PolicyVersion): VersionedPodCheck | undefined => {
    let found: VersionedPodCheck | undefined;
    for (const e of versions) if (compareVersions(e.since, version) <= 0) found = e;
    return found;
  };
  return {
    id: props.id,
    title: props.title,
    severity: props.severity,
    rationale: props.rationale,
    remediation: props.remediation,
    ...(props.manifestRemediation !== undefined ? { manifestRemediation: props.manifestRemediation } : {}),
    waivable: props.waivable,
    references: [
      { source: 'PSS', id: `${props.level}: ${psaCheck}`, url: PSS_URL },
      ...(props.references ?? []),
    ],
    psaCheck,
    level: props.level,
    versions,
    entryAt,
    check(object: KubeObject, context: RuleContext): Violation[] {
      const entry = entryAt(context.version);
      if (!entry) return [];
      // Every pod spec the object carries (a custom resource may embed several), each checked alone.
      return podSitesIn(object, context).flatMap((site) => entry.check(site.metadata, site.spec).map((pv) => ({
        path: join(pv.inMetadata ? site.metadataPath : site.path, pv.field),
        ...(pv.container !== undefined ? { container: pv.container } : {}),
        reason,
        detail: pv.detail,
      })));
    },
  };
}
