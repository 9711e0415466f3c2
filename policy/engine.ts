import { CATALOG_BY_ID } from './catalog';
import { DEFAULT_KUBERNETES_VERSION } from './kubernetes-versions';
import { PackName, packRules } from './packs';
import { validWaiver } from './rules/waivers/valid-waiver';
import { Finding, KubeObject, objectRef, parsePolicyVersion, PolicyVersion, Rule, RuleContext, WaiverSpec } from './types';
import { readWaivers, waiverProblems } from './waivers';

/** A waiver handed to the engine directly (for example by `bulwark check --waivers`), for matching objects. */
export interface ExternalWaiver extends WaiverSpec {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface EvaluateOptions {
  /** Kubernetes minor to evaluate against, e.g. "1.36". @default - Bulwark's default target */
  readonly kubernetesVersion?: string;
  /** @default ['pss-restricted', 'bulwark-recommended'] */
  readonly packs?: readonly PackName[];
  /** Waivers in addition to the ones objects carry in their annotation. */
  readonly waivers?: readonly ExternalWaiver[];
  /** Clock for waiver expiry. @default - now */
  readonly now?: Date;
  /** Objects that rules relating objects may see (NetworkPolicies, PDBs) but that are not evaluated. */
  readonly context?: readonly KubeObject[];
}

export const DEFAULT_PACKS: readonly PackName[] = ['pss-restricted', 'bulwark-recommended'];

/** Rules in force for the options, de-duplicated, in catalog order; the waiver rule is always on. */
export function rulesFor(version: PolicyVersion, packs: readonly PackName[]): Rule[] {
  const selected = new Set(packs.flatMap((p) => packRules(p, version)));
  selected.add(validWaiver);
  return [...CATALOG_BY_ID.keys()].map((id) => [...selected].find((r) => r.id === id)).filter((r): r is Rule => r !== undefined);
}

/**
 * Runs every rule of the selected packs over every object and returns all findings, waived ones
 * included (with `waiver` set). Deterministic: objects in input order, rules in catalog order.
 */
export function evaluate(objects: readonly KubeObject[], options: EvaluateOptions = {}): Finding[] {
  const version = parsePolicyVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const now = options.now ?? new Date();
  const context: RuleContext = { version, objects: [...objects, ...(options.context ?? [])], catalog: CATALOG_BY_ID, now };
  const rules = rulesFor(version, options.packs ?? DEFAULT_PACKS);
  const findings: Finding[] = [];
  for (const object of objects) {
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    const ref = objectRef(object);
    const waivers = [
      ...readWaivers(object).waivers,
      ...(options.waivers ?? []).filter((w) => (!w.kind || w.kind === ref.kind) && (!w.name || w.name === ref.name) && (!w.namespace || w.namespace === ref.namespace)),
    ].filter((w) => waiverProblems(w, CATALOG_BY_ID.get(w.rule), now).length === 0);
    for (const rule of rules) {
      for (const v of rule.check(object, context)) {
        const waiver = rule.waivable
          ? waivers.find((w) => w.rule === rule.id && (w.container === undefined || w.container === v.container))
          : undefined;
        findings.push({
          ruleId: rule.id,
          severity: rule.severity,
          title: rule.title,
          object: ref,
          path: v.path,
          ...(v.container !== undefined ? { container: v.container } : {}),
          reason: v.reason,
          detail: v.detail,
          remediation: rule.remediation,
          ...(waiver ? { waiver } : {}),
        });
      }
    }
  }
  return findings;
}

export function unwaived(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.waiver);
}
