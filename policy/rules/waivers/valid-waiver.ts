import { containersOf, podSitesIn } from '../../pod-spec';
import { Rule, Violation, WAIVERS_ANNOTATION } from '../../types';
import { admissionWaiverProblems, readWaivers, waiverProblems } from '../../waivers';

export const validWaiver: Rule = {
  id: 'waivers/valid-waiver',
  title: 'Every waiver names a waivable rule, a real reason and a future expiry',
  severity: 'high',
  waivable: false,
  rationale: 'A waiver is the only way to relax a rule; one with no reason, an unknown rule or a past expiry is a silent opt-out.',
  remediation: 'Fix the waiver: name an existing, waivable rule id, give a reason of at least 20 characters, and an expiry date in the future (or remove the waiver); for a guardrail rule, write the same waivers in its waiver.bulwark.dev/<domain>.<name> annotation (Waiver does both).',
  manifestRemediation: 'Fix the bulwark.dev/waivers annotation entry: "rule" an existing waivable rule id, "reason" of 20 or more characters, "expires" a future YYYY-MM-DD; for a guardrail rule, set the waiver.bulwark.dev/<domain>.<name> annotation to the same waivers.',
  references: [{ source: 'Bulwark', id: 'docs/architecture.md#waivers' }],
  check(object, context): Violation[] {
    const path = `metadata.annotations["${WAIVERS_ANNOTATION}"]`;
    const { waivers, error } = readWaivers(object);
    if (error) return [{ path, reason: 'malformed waiver', detail: error }];
    const containers = new Set(podSitesIn(object, context).flatMap((site) => containersOf(site.spec).map((c) => c.name)));
    const own = waivers.flatMap((w, i) => {
      const problems = waiverProblems(w, context.catalog.get(w.rule), context.now);
      if (w.container !== undefined && !containers.has(w.container)) problems.push(`container "${w.container}" does not exist in this object`);
      return problems.length === 0 ? [] : [{
        path: `${path}[${i}]`,
        reason: 'invalid waiver',
        detail: `waiver for "${w.rule}"${w.container ? ` on container "${w.container}"` : ''}: ${problems.join('; ')}`,
      }];
    });
    // The guardrails read the CEL-readable form; the two forms must say the same.
    const forms = admissionWaiverProblems(object, waivers, context.catalog).map((p) => ({
      path: `metadata.annotations["${p.key}"]`,
      reason: 'waiver forms disagree',
      detail: `waiver for "${p.rule}": ${p.problem}`,
    }));
    return [...own, ...forms];
  },
};
