/**
 * The posture `bulwark report` shows: per namespace and workload, which controls (rules) hold,
 * which are waived and which fail; every waiver with its reason, owner and expiry (expired and
 * expiring within 30 days flagged); and the frameworks' controls with what no rule covers.
 */
import { CATALOG_BY_ID } from '../policy/catalog';
import { frameworks, isWorkload, ruleApplies } from '../policy/controls';
import { ExternalWaiver } from '../policy/engine';
import { describeObject, KubeObject, objectRef, Severity } from '../policy/types';
import { parseExpiry, readWaivers, waiverProblems } from '../policy/waivers';
import { Inspection, LocatedFinding } from './inspect';

export type ControlState = 'hold' | 'waived' | 'fail';
export interface Counts { hold: number; waived: number; fail: number }

export interface ControlResult {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly state: ControlState;
  readonly findings: readonly LocatedFinding[];
}

export interface Subject {
  /** A workload (an object with a pod template), or the namespace's other objects together. */
  readonly type: 'workload' | 'namespace';
  readonly name: string;
  readonly objects: readonly string[];
  readonly controls: readonly ControlResult[];
  readonly counts: Counts;
}

export interface NamespacePosture {
  readonly name: string;
  readonly subjects: readonly Subject[];
  readonly counts: Counts;
}

export type WaiverStatus = 'active' | 'expiring' | 'expired' | 'invalid';

export interface WaiverRow {
  readonly namespace: string;
  readonly object: string;
  readonly rule: string;
  readonly container?: string;
  readonly reason: string;
  readonly owner?: string;
  readonly expires?: string;
  readonly status: WaiverStatus;
  /** Days until the waiver expires (negative: since it expired). */
  readonly daysLeft?: number;
  readonly problem?: string;
  readonly source: 'annotation' | 'waiver file';
}

export type FrameworkState = ControlState | 'not evaluated' | 'not covered';

export interface FrameworkPosture {
  readonly id: string;
  readonly name: string;
  readonly edition: string;
  readonly controls: ReadonlyArray<{ id: string; title: string; rules: readonly string[]; note?: string; state: FrameworkState }>;
  readonly counts: Counts & { notEvaluated: number; notCovered: number };
}

export interface Posture {
  readonly generatedAt: string;
  readonly inputs: readonly string[];
  readonly kubernetesVersion: string;
  readonly packs: readonly string[];
  readonly objects: number;
  readonly totals: Counts;
  readonly namespaces: readonly NamespacePosture[];
  readonly waivers: readonly WaiverRow[];
  readonly frameworks: readonly FrameworkPosture[];
  readonly skipped: Inspection['skipped'];
  readonly problems: Inspection['problems'];
}

/** Waivers within this many days of their expiry are flagged. */
export const EXPIRING_WITHIN_DAYS = 30;
export const CLUSTER_SCOPE = '(cluster-scoped)';

const DAY = 24 * 60 * 60 * 1000;

function stateOf(findings: readonly LocatedFinding[]): ControlState {
  if (findings.some((f) => !f.waiver)) return 'fail';
  return findings.length > 0 ? 'waived' : 'hold';
}

function count(states: readonly { state: string }[]): Counts {
  return {
    hold: states.filter((s) => s.state === 'hold').length,
    waived: states.filter((s) => s.state === 'waived').length,
    fail: states.filter((s) => s.state === 'fail').length,
  };
}

function namespaceOf(o: KubeObject): string {
  if (o.kind === 'Namespace' && o.apiVersion === 'v1') return String(o.metadata?.name ?? '');
  const ns = o.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : CLUSTER_SCOPE;
}

function controlsFor(objects: Inspection['objects'], rules: Inspection['rules'], skipped: ReadonlySet<string>): ControlResult[] {
  const out: ControlResult[] = [];
  for (const rule of rules) {
    // A skipped rule (no trusted registries given) neither holds nor fails: it was not evaluated.
    if (skipped.has(rule.id)) continue;
    const applicable = objects.filter((o) => ruleApplies(rule, o.object));
    const findings = objects.flatMap((o) => o.findings.filter((f) => f.ruleId === rule.id));
    if (applicable.length === 0 && findings.length === 0) continue;
    out.push({ rule: rule.id, title: rule.title, severity: rule.severity, state: stateOf(findings), findings });
  }
  return out;
}

/** Builds the posture of an inspection; `external` are the --waivers entries, `now` the clock. */
export function buildPosture(inspection: Inspection, options: { inputs: readonly string[]; external?: readonly ExternalWaiver[]; now: Date }): Posture {
  const skipped = new Set(inspection.skipped.map((s) => s.rule));
  const groups = new Map<string, Inspection['objects']>();
  for (const o of inspection.objects) {
    const ns = namespaceOf(o.object);
    groups.set(ns, [...(groups.get(ns) ?? []), o]);
  }
  const names = [...groups.keys()].sort((a, b) => (a === CLUSTER_SCOPE ? 1 : b === CLUSTER_SCOPE ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const namespaces: NamespacePosture[] = names.map((name) => {
    const members = groups.get(name)!;
    const subjects: Subject[] = [];
    for (const o of members.filter((m) => isWorkload(m.object))) {
      const controls = controlsFor([o], inspection.rules, skipped);
      subjects.push({ type: 'workload', name: `${o.object.kind} ${o.object.metadata?.name ?? ''}`, objects: [describeObject(objectRef(o.object))], controls, counts: count(controls) });
    }
    const rest = members.filter((m) => !isWorkload(m.object));
    if (rest.length > 0) {
      const controls = controlsFor(rest, inspection.rules, skipped);
      subjects.push({ type: 'namespace', name: name === CLUSTER_SCOPE ? 'cluster-scoped objects' : 'namespace objects', objects: rest.map((m) => describeObject(objectRef(m.object))), controls, counts: count(controls) });
    }
    const all = subjects.flatMap((s) => s.controls);
    return { name, subjects, counts: count(all) };
  });
  const allControls = namespaces.flatMap((n) => n.subjects.flatMap((s) => s.controls));
  const inForce = new Set(inspection.rules.map((r) => r.id));
  const framework = frameworks().map((f): FrameworkPosture => {
    const controls = f.controls.map((c) => {
      let state: FrameworkState;
      if (c.rules.length === 0) state = 'not covered';
      else {
        const results = allControls.filter((r) => c.rules.includes(r.rule) && inForce.has(r.rule));
        state = results.length === 0 ? 'not evaluated' : results.some((r) => r.state === 'fail') ? 'fail' : results.some((r) => r.state === 'waived') ? 'waived' : 'hold';
      }
      return { ...c, state };
    });
    return {
      id: f.id, name: f.name, edition: f.edition, controls,
      counts: { ...count(controls), notEvaluated: controls.filter((c) => c.state === 'not evaluated').length, notCovered: controls.filter((c) => c.state === 'not covered').length },
    };
  });
  return {
    generatedAt: options.now.toISOString(),
    inputs: options.inputs,
    kubernetesVersion: inspection.kubernetesVersion,
    packs: inspection.packs,
    objects: inspection.objects.length,
    totals: count(allControls),
    namespaces,
    waivers: waiverRows(inspection, options.external ?? [], options.now),
    frameworks: framework,
    skipped: inspection.skipped,
    problems: inspection.problems,
  };
}

function waiverRows(inspection: Inspection, external: readonly ExternalWaiver[], now: Date): WaiverRow[] {
  const rows: WaiverRow[] = [];
  for (const { object } of inspection.objects) {
    const ref = objectRef(object);
    const own = readWaivers(object).waivers.map((w) => ({ w, source: 'annotation' as const }));
    const file = external.filter((w) => (!w.kind || w.kind === ref.kind) && (!w.name || w.name === ref.name) && (!w.namespace || w.namespace === ref.namespace)).map((w) => ({ w, source: 'waiver file' as const }));
    for (const { w, source } of [...own, ...file]) {
      const end = typeof w.expires === 'string' ? parseExpiry(w.expires) : undefined;
      const daysLeft = end ? Math.floor((end.getTime() - now.getTime()) / DAY) : undefined;
      const problems = waiverProblems(w, CATALOG_BY_ID.get(w.rule), now).filter((p) => !p.startsWith('expired'));
      const status: WaiverStatus = problems.length > 0 ? 'invalid'
        : end && end.getTime() < now.getTime() ? 'expired'
          : daysLeft !== undefined && daysLeft <= EXPIRING_WITHIN_DAYS ? 'expiring' : 'active';
      rows.push({
        namespace: namespaceOf(object),
        object: describeObject(ref),
        rule: String(w.rule),
        ...(w.container ? { container: w.container } : {}),
        reason: String(w.reason ?? ''),
        ...(w.owner ? { owner: w.owner } : {}),
        ...(w.expires ? { expires: w.expires } : {}),
        status,
        ...(daysLeft !== undefined ? { daysLeft } : {}),
        ...(problems.length ? { problem: problems.join('; ') } : {}),
        source,
      });
    }
  }
  const rank: Record<WaiverStatus, number> = { expired: 0, invalid: 1, expiring: 2, active: 3 };
  return rows.sort((a, b) => rank[a.status] - rank[b.status] || (a.daysLeft ?? 1e9) - (b.daysLeft ?? 1e9));
}
