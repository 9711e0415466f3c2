/**
 * `check` and `scan` output as text (grouped by file, then by object: two files holding objects of
 * the same name stay apart) and as JSON. SARIF is in sarif.ts.
 */
import { ManifestProblem } from '../policy/manifests';
import { describeObject, objectRef } from '../policy/types';
import { Palette } from './args';
import { allFindings, CheckedObject, Inspection, LocatedFinding, STDIN } from './inspect';

/** Drift between a blueprint and a cluster (scan.ts), printed after the findings. */
export interface DriftItem {
  readonly kind: 'undeclared' | 'missing' | 'weakened';
  readonly object: { apiVersion: string; kind: string; namespace?: string; name: string };
  /** For "weakened": the field that differs (a path) and both values, as JSON text. */
  readonly field?: string;
  readonly declared?: string;
  readonly live?: string;
  readonly detail: string;
  /** Where the blueprint declares the object. */
  readonly file?: string;
  readonly line?: number;
}

export function summaryLine(inspection: Pick<Inspection, 'objects'>): string {
  const findings = allFindings(inspection);
  const waived = findings.filter((f) => f.waiver).length;
  return `${inspection.objects.length} objects, ${findings.length - waived} unwaived and ${waived} waived findings`;
}

export function formatProblem(p: ManifestProblem): string {
  return `bulwark: ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`;
}

function severityColour(c: Palette, s: string): (t: string) => string {
  return s === 'critical' ? (t) => c.bold(c.red(t)) : s === 'high' ? c.red : s === 'medium' ? c.yellow : c.blue;
}

function findingLines(f: LocatedFinding, c: Palette): string[] {
  const where = f.fieldLine !== undefined ? ` (line ${f.fieldLine})` : '';
  const lines = [`    - ${severityColour(c, f.severity)(f.severity)} [${f.ruleId}] ${f.reason}: ${f.detail}${f.waiver ? c.dim(` (waived: ${f.waiver.reason}${f.waiver.owner ? `; owner ${f.waiver.owner}` : ''}${f.waiver.expires ? `; expires ${f.waiver.expires}` : ''})`) : ''}`];
  lines.push(`        at ${f.path}${where}`);
  if (!f.waiver) lines.push(`        fix: ${f.remediation}`);
  return lines;
}

function objectHeading(o: CheckedObject, c: Palette): string {
  return `  ${c.bold(describeObject(objectRef(o.object)))}${o.source ? c.dim(` (line ${o.source.line})`) : ''}`;
}

/**
 * Findings grouped by file (in input order), then object (in file order), then the skipped rules,
 * the drift (scan) and the summary line. Objects without findings are not listed.
 */
export function renderText(inspection: Inspection, c: Palette, drift?: readonly DriftItem[]): string {
  const out: string[] = [];
  const byFile = new Map<string, CheckedObject[]>();
  for (const o of inspection.objects) {
    if (o.findings.length === 0) continue;
    const key = o.source?.file ?? '';
    byFile.set(key, [...(byFile.get(key) ?? []), o]);
  }
  for (const [file, objects] of byFile) {
    out.push(c.bold(c.cyan(file === '' ? 'cluster' : file === STDIN ? 'standard input' : file)));
    for (const o of objects) {
      out.push(objectHeading(o, c));
      for (const f of o.findings) out.push(...findingLines(f, c));
    }
  }
  if (drift && drift.length > 0) {
    out.push(c.bold(c.magenta('drift from the blueprint')));
    for (const d of drift) {
      const where = d.file ? c.dim(` (${d.file}${d.line ? `:${d.line}` : ''})`) : '';
      out.push(`  - ${c.magenta(d.kind)} ${describeObject(d.object)}${d.field ? ` ${d.field}` : ''}: ${d.detail}${where}`);
    }
  }
  for (const s of inspection.skipped) out.push(`${c.yellow('skipped')} ${s.rule}: ${s.reason}`);
  out.push(`${summaryLine(inspection)}${drift ? `, ${drift.length} drifted ${drift.length === 1 ? 'object or field' : 'objects or fields'}` : ''}`);
  return out.join('\n');
}

/** The JSON document `--format json` prints. */
export function renderJson(inspection: Inspection, tool: { version: string }, drift?: readonly DriftItem[]): string {
  const findings = allFindings(inspection);
  const waived = findings.filter((f) => f.waiver).length;
  const bySeverity = Object.fromEntries(['critical', 'high', 'medium', 'low'].map((s) => [s, findings.filter((f) => !f.waiver && f.severity === s).length]));
  return JSON.stringify({
    tool: { name: 'bulwark', version: tool.version },
    kubernetesVersion: inspection.kubernetesVersion,
    packs: inspection.packs,
    minSeverity: inspection.minSeverity,
    summary: { objects: inspection.objects.length, unwaived: findings.length - waived, waived, bySeverity, ...(drift ? { drift: drift.length } : {}) },
    skipped: inspection.skipped,
    problems: inspection.problems,
    findings,
    ...(drift ? { drift } : {}),
  }, null, 2);
}
