/**
 * SARIF 2.1.0 for GitHub code scanning (`--format sarif`, then github/codeql-action/upload-sarif):
 * one run, every rule in force as a reportingDescriptor (title, rationale, both fixes and the
 * references as help, `security-severity` for GitHub's severity), every finding as a result at its
 * file and line (the field's line when known) with the object as a logical location, a
 * `partialFingerprints` entry that survives edits elsewhere in the file, waived findings as
 * suppressions, skipped rules as configuration notifications and unreadable input as execution
 * notifications. tests/sarif.test.ts validates the output against the published 2.1.0 schema.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ManifestProblem } from '../policy/manifests';
import { apiGroupOf } from '../policy/scope';
import { describeObject, RuleMeta, Severity } from '../policy/types';
import { allFindings, Inspection, LocatedFinding, STDIN } from './inspect';
import { DriftItem } from './output';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub reads `security-severity` (0.0 to 10.0) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** Drift is reported as results of these three rules (scan --blueprint). */
export const DRIFT_RULES: ReadonlyArray<Pick<RuleMeta, 'id' | 'title' | 'rationale' | 'remediation' | 'severity'>> = [
  { id: 'drift/undeclared', title: 'The cluster holds an object the blueprint does not declare', severity: 'medium', rationale: 'An object created by hand, outside the blueprint, was never reviewed or checked at synth, and the next deployment will not remove it.', remediation: 'Declare the object in the blueprint (so it is checked at synth) or delete it from the cluster.' },
  { id: 'drift/missing', title: 'An object the blueprint declares is missing from the cluster', severity: 'high', rationale: 'A missing NetworkPolicy, Role or quota is a control that is not in force, though the blueprint says it is.', remediation: 'Apply the blueprint again (kubectl apply --server-side -f dist/) and find out who deleted the object.' },
  { id: 'drift/weakened', title: 'A live object differs from the blueprint in a security field', severity: 'high', rationale: 'A label, securityContext, NetworkPolicy rule, RBAC rule or Service type changed by hand weakens what synth checked and the blueprint still claims.', remediation: 'Apply the blueprint again to restore the declared value, and change it in the blueprint (where it is checked) if the change is wanted.' },
];

interface Options {
  readonly version: string;
  /** Paths are made relative to this directory (%SRCROOT%). */
  readonly cwd: string;
  readonly drift?: readonly DriftItem[];
}

export function renderSarif(inspection: Inspection, options: Options): string {
  const rules: Array<Pick<RuleMeta, 'id' | 'title' | 'rationale' | 'remediation' | 'severity'> & Partial<RuleMeta>> = [...inspection.rules, ...(options.drift ? DRIFT_RULES : [])];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [
    ...allFindings(inspection).map((f) => findingResult(f, index, options.cwd)),
    ...(options.drift ?? []).map((d) => driftResult(d, index, options.cwd)),
  ];
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Bulwark',
          fullName: 'Bulwark policy engine for Kubernetes manifests and clusters',
          version: options.version,
          semanticVersion: options.version,
          rules: rules.map(ruleDescriptor),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${path.resolve(options.cwd)}${path.sep}`).href } },
      invocations: [{
        executionSuccessful: inspection.problems.length === 0,
        toolConfigurationNotifications: inspection.skipped.map((s) => ({
          level: 'note',
          descriptor: { id: s.rule, index: index.get(s.rule) ?? -1 },
          message: { text: `${s.rule} was skipped: ${s.reason}` },
        })),
        toolExecutionNotifications: inspection.problems.map((p) => problemNotification(p, options.cwd)),
      }],
      columnKind: 'unicodeCodePoints',
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}

function ruleDescriptor(r: Pick<RuleMeta, 'id' | 'title' | 'rationale' | 'remediation' | 'severity'> & Partial<RuleMeta>) {
  const refs = r.references ?? [];
  const refText = refs.map((ref) => `${ref.source} ${ref.id}`);
  const refMarkdown = refs.map((ref) => (ref.url ? `[${ref.source} ${ref.id}](${ref.url})` : `${ref.source} ${ref.id}`));
  const helpUri = refs.find((ref) => ref.url)?.url;
  const manifest = r.manifestRemediation ? `\nFix in a manifest: ${r.manifestRemediation}` : '';
  return {
    id: r.id,
    name: r.id.split(/[/-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.rationale },
    help: {
      text: `${r.rationale}\nFix with Bulwark's constructs: ${r.remediation}${manifest}${refText.length ? `\nReferences: ${refText.join('; ')}` : ''}`,
      markdown: [
        `**${r.title}.** ${r.rationale}`,
        '',
        `**Fix with Bulwark's constructs:** ${r.remediation}`,
        ...(r.manifestRemediation ? ['', `**Fix in a manifest:** ${r.manifestRemediation}`] : []),
        ...(refMarkdown.length ? ['', `**References:** ${refMarkdown.join('; ')}`] : []),
        ...(r.waivable === false ? ['', 'This rule cannot be waived.'] : []),
      ].join('\n'),
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: ['security', 'kubernetes', r.id.split('/')[0]],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[r.severity],
      'problem.severity': r.severity === 'low' ? 'recommendation' : LEVEL[r.severity],
      ...(refText.length ? { references: refText } : {}),
    },
  };
}

/** A file as a URI relative to %SRCROOT% (or absolute when it lies outside); undefined for stdin. */
function artifactLocation(file: string | undefined, cwd: string): { uri: string; uriBaseId?: string } | undefined {
  if (file === undefined || file === '' || file === STDIN) return undefined;
  const relative = path.relative(path.resolve(cwd), path.resolve(file));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function objectName(o: { kind: string; namespace?: string; name: string }): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

function fingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function findingResult(f: LocatedFinding, index: Map<string, number>, cwd: string) {
  const artifact = artifactLocation(f.file, cwd);
  const line = f.fieldLine ?? f.line;
  const external = f.waiver !== undefined && 'name' in f.waiver;
  return {
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? -1,
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: `${describeObject(f.object)}: ${f.detail}. Fix: ${f.remediation}` },
    locations: [{
      ...(artifact ? { physicalLocation: { artifactLocation: artifact, ...(line !== undefined ? { region: { startLine: line } } : {}) } } : {}),
      logicalLocations: [{ name: f.object.name, fullyQualifiedName: objectName(f.object), kind: 'resource' }],
    }],
    partialFingerprints: {
      'bulwarkFinding/v1': fingerprint([f.ruleId, apiGroupOf(f.object.apiVersion), f.object.kind, f.object.namespace ?? '', f.object.name, f.path, f.container ?? '']),
    },
    ...(f.waiver ? {
      suppressions: [{
        kind: external ? 'external' : 'inSource',
        status: 'accepted',
        justification: `${f.waiver.reason}${f.waiver.owner ? ` (owner ${f.waiver.owner})` : ''}${f.waiver.expires ? ` (expires ${f.waiver.expires})` : ''}`,
      }],
    } : {}),
    properties: {
      severity: f.severity,
      object: f.object,
      path: f.path,
      ...(f.container !== undefined ? { container: f.container } : {}),
      remediationFor: f.remediationFor,
      ...(line !== undefined && f.line !== undefined && line !== f.line ? { objectLine: f.line } : {}),
    },
  };
}

function driftResult(d: DriftItem, index: Map<string, number>, cwd: string) {
  const id = `drift/${d.kind}`;
  const artifact = artifactLocation(d.file, cwd);
  const severity = DRIFT_RULES.find((r) => r.id === id)!.severity;
  return {
    ruleId: id,
    ruleIndex: index.get(id) ?? -1,
    level: LEVEL[severity],
    kind: 'fail',
    message: { text: `${describeObject(d.object)}${d.field ? ` ${d.field}` : ''}: ${d.detail}` },
    locations: [{
      ...(artifact ? { physicalLocation: { artifactLocation: artifact, ...(d.line !== undefined ? { region: { startLine: d.line } } : {}) } } : {}),
      logicalLocations: [{ name: d.object.name, fullyQualifiedName: objectName(d.object), kind: 'resource' }],
    }],
    partialFingerprints: { 'bulwarkDrift/v1': fingerprint([id, apiGroupOf(d.object.apiVersion), d.object.kind, d.object.namespace ?? '', d.object.name, d.field ?? '']) },
    properties: { drift: d.kind, object: d.object, ...(d.field ? { field: d.field } : {}), ...(d.declared !== undefined ? { declared: d.declared } : {}), ...(d.live !== undefined ? { live: d.live } : {}) },
  };
}

function problemNotification(p: ManifestProblem, cwd: string) {
  const artifact = artifactLocation(p.file, cwd);
  return {
    level: 'error',
    message: { text: `${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}` },
    ...(artifact ? { locations: [{ physicalLocation: { artifactLocation: artifact, ...(p.line !== undefined ? { region: { startLine: p.line } } : {}) } }] } : {}),
  };
}
