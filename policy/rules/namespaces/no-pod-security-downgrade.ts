import { labelOf } from '../../admission';
import { KubeObject, Rule, Violation } from '../../types';

const PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;

/** How strict a Pod Security level is; no label (or anything else) is privileged. */
export function levelRank(level: string | undefined): number {
  return level === 'restricted' ? 2 : level === 'baseline' ? 1 : 0;
}

/** A Pod Security version label as a number to compare; no label is "latest", the newest. */
export function versionRank(version: string | undefined): number {
  if (version === undefined || version === '' || version === 'latest') return 1_000_000;
  const m = /^v([0-9]+)\.([0-9]+)$/.exec(version);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : 0;
}

const labels = (o: KubeObject) => o.metadata?.labels ?? {};

/** CEL: levelRank of the label `key` of `o`. */
const levelCel = (o: string, key: string) => `(${labelOf(o, key)} == 'restricted' ? 2 : ${labelOf(o, key)} == 'baseline' ? 1 : 0)`;
/** CEL: versionRank of the label `key` of `o`. */
const versionCel = (o: string, key: string) => {
  const v = labelOf(o, key);
  return `(${v} == '' || ${v} == 'latest' ? 1000000 : ${v}.matches(r'^v[0-9]+\\.[0-9]+$') ? int(${v}.substring(1).split('.')[0]) * 1000 + int(${v}.split('.')[1]) : 0)`;
};

export const noPodSecurityDowngrade: Rule = {
  id: 'namespaces/no-pod-security-downgrade',
  title: 'A namespace\'s Pod Security labels must not be lowered',
  severity: 'high',
  waivable: true,
  rationale: 'Pod Security admission trusts the namespace\'s labels: whoever can relabel a namespace from restricted to privileged (or pin enforce to an older minor, with fewer checks) can then run privileged pods there. A namespace keeps the level it was declared with; lowering it is a decision to record, not a label edit.',
  remediation: 'Keep the enforce, audit and warn levels and the enforce-version at least where they are; if a namespace really must be relaxed, waive this rule on the Namespace with a reason and an expiry.',
  manifestRemediation: 'Keep the Namespace\'s pod-security.kubernetes.io/enforce, audit and warn labels and its enforce-version at least as strict as the cluster has them; to relax one, add a bulwark.dev/waivers annotation for this rule with a reason and an expiry.',
  references: [
    { source: 'PSA', id: 'pod-security.kubernetes.io/<mode>, <mode>-version', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
    { source: 'Kubernetes', id: 'Pod Security Admission: namespace labels are the policy' },
  ],
  admission: () => ({
    scope: 'cluster',
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['UPDATE'] }],
    validations: [
      ...MODES.map((mode) => ({
        expression: `variables.waivedObject || ${levelCel('object', `${PREFIX}${mode}`)} >= ${levelCel('oldObject', `${PREFIX}${mode}`)}`,
        messageExpression: `'Namespace "' + object.metadata.name + '" lowers ${PREFIX}${mode} from "' + ${labelOf('oldObject', `${PREFIX}${mode}`)} + '" to "' + ${labelOf('object', `${PREFIX}${mode}`)} + '"'`,
        message: `a namespace's ${PREFIX}${mode} level must not be lowered`,
      })),
      {
        // The version counts when the enforced level stays the same (and is not privileged).
        expression: `variables.waivedObject || ${levelCel('object', `${PREFIX}enforce`)} != ${levelCel('oldObject', `${PREFIX}enforce`)} || ${levelCel('object', `${PREFIX}enforce`)} == 0 || ${versionCel('object', `${PREFIX}enforce-version`)} >= ${versionCel('oldObject', `${PREFIX}enforce-version`)}`,
        messageExpression: `'Namespace "' + object.metadata.name + '" moves ${PREFIX}enforce-version from "' + ${labelOf('oldObject', `${PREFIX}enforce-version`)} + '" to the older "' + ${labelOf('object', `${PREFIX}enforce-version`)} + '"'`,
        message: `a namespace's ${PREFIX}enforce-version must not move to an older minor`,
      },
    ],
  }),
  check(object, context): Violation[] {
    if (object.kind !== 'Namespace') return [];
    // The namespace as it is now (a context object with the same name); none at synth.
    const before = context.previousOf(object);
    if (!before) return [];
    const now = labels(object);
    const was = labels(before);
    const at = (k: string) => `metadata.labels["${PREFIX}${k}"]`;
    const out: Violation[] = [];
    for (const mode of MODES) {
      const key = `${PREFIX}${mode}`;
      if (levelRank(now[key]) < levelRank(was[key])) {
        out.push({ path: at(mode), reason: 'Pod Security level lowered', detail: `${key} goes from "${was[key] ?? ''}" to "${now[key] ?? ''}"` });
      }
    }
    // An older enforce-version has fewer checks; it counts when the enforced level stays the same
    // (a higher level is stricter whatever its version; privileged has no checks at all).
    const version = `${PREFIX}enforce-version`;
    const level = levelRank(now[`${PREFIX}enforce`]);
    if (level > 0 && level === levelRank(was[`${PREFIX}enforce`]) && versionRank(now[version]) < versionRank(was[version])) {
      out.push({ path: at('enforce-version'), reason: 'Pod Security version lowered', detail: `${version} goes from "${was[version] ?? 'latest'}" to the older "${now[version] ?? ''}"` });
    }
    return out;
  },
};
