import { evaluate, unwaived } from '../policy/engine';
import { ruleById } from '../policy/catalog';
import { Finding, KubeObject } from '../policy/types';
import { BulwarkChart } from './bulwark-chart';
import { BulwarkError } from './errors';

/** The prop a finding comes from, when the construct can tell; undefined leaves it to synth. */
export type PropOf = (finding: Finding) => { readonly prop: string; readonly value: unknown } | undefined;

export interface RefuseOptions {
  /** Maps a finding to the prop it comes from; a finding it returns undefined for is left to synth. */
  readonly propOf: PropOf;
  /**
   * The rules whose findings `propOf` can name a prop for: only they run here. Every other rule
   * runs at synth, in the whole-App check, on the finished object. @default - every rule in force
   */
  readonly rules?: readonly string[];
  /** Objects the rules may relate the candidates to, not evaluated themselves. */
  readonly context?: readonly KubeObject[];
}

/**
 * Constructor-time refusal that asks the engine instead of re-deciding a rule: evaluates the
 * candidate objects (with the waivers they will carry) in the chart's version and registries,
 * and throws a BulwarkError for the first unwaived finding that `propOf` maps to a prop. Findings
 * it does not map (a connection not declared yet, a pool placed later) and rules it does not run
 * are left to the whole-App check at synth, which sees the finished objects: this check only
 * moves an error earlier, to the prop that causes it, and never decides alone.
 */
export function refuseFindings(who: string, chart: BulwarkChart, candidates: readonly KubeObject[], options: RefuseOptions): void {
  const { propOf, rules, context = [] } = options;
  const findings = unwaived(evaluate(candidates, {
    kubernetesVersion: chart.kubernetesVersion,
    trustedRegistries: chart.trustedRegistries,
    context,
    ...(rules ? { rules } : {}),
  }));
  for (const f of findings) {
    const at = propOf(f);
    if (!at) continue;
    const rule = ruleById(f.ruleId);
    const waiver = rule?.waivable ? ` Or add a Waiver of ${f.ruleId} with the reason.` : '';
    throw new BulwarkError(who, at.prop, at.value, f.ruleId, `is refused: ${f.detail}`, `${f.remediation}${waiver}`);
  }
}
