/**
 * What `check`, `report` and `scan` share: read the inputs (files, directories, "-" for stdin) as
 * kubectl does, put namespace-less objects where they will be applied, evaluate every object once
 * with the catalog, and keep each finding beside the object, file and line it came from, with the
 * fix phrased for that object (construct prop for Bulwark's objects, field for any other).
 */
import * as fs from 'fs';
import { CATALOG_BY_ID } from '../policy/catalog';
import { DEFAULT_PACKS, evaluateEach, ExternalWaiver, rulesFor } from '../policy/engine';
import { DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { FieldLocator } from '../policy/locate';
import { ManifestObject, ManifestProblem, parseManifests, readManifests } from '../policy/manifests';
import { PackName } from '../policy/packs';
import { isBulwarkMade, namespacesByName, RemediationFor, remediationFor } from '../policy/remediation';
import { withDefaultNamespace } from '../policy/scope';
import { Finding, KubeObject, parsePolicyVersion, Rule, Severity } from '../policy/types';

/** The name stdin's objects are reported under. */
export const STDIN = '<stdin>';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Where an object came from: a file and the line its document (or List item) starts at. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export interface LocatedFinding extends Finding {
  /** The file and line of the object, when it came from one. */
  readonly file?: string;
  readonly line?: number;
  /** The line of the field the finding's path names (or its nearest parent the file has). */
  readonly fieldLine?: number;
  /** Whom `remediation` speaks to: a construct's user, or whoever edits the raw manifest. */
  readonly remediationFor: RemediationFor;
}

export interface CheckedObject {
  readonly object: KubeObject;
  readonly source?: SourceLocation;
  readonly bulwarkMade: boolean;
  /** Findings at or above the minimum severity, waived ones included. */
  readonly findings: LocatedFinding[];
}

export interface Inspection {
  readonly objects: CheckedObject[];
  readonly problems: ManifestProblem[];
  /** Rules in force that did not run, and why. */
  readonly skipped: Array<{ rule: string; reason: string }>;
  /** Rules in force, in catalog order. */
  readonly rules: readonly Rule[];
  readonly kubernetesVersion: string;
  readonly packs: readonly PackName[];
  readonly minSeverity: Severity;
}

export interface InspectOptions {
  readonly kubernetesVersion?: string;
  readonly packs?: readonly PackName[];
  /** The namespace namespace-less objects will be applied to (kubectl -n). */
  readonly namespace?: string;
  /** Registries images may come from; undefined: rule images/trusted-registry is skipped. */
  readonly trustedRegistries?: readonly string[];
  readonly waivers?: readonly ExternalWaiver[];
  readonly minSeverity?: Severity;
  readonly now: Date;
  /** Objects rules may relate to but that are not checked (scan: none). */
  readonly context?: readonly KubeObject[];
}

export interface InputObjects {
  readonly objects: ManifestObject[];
  readonly problems: ManifestProblem[];
  /** The text of stdin, when it was read (files are read again from disk for field lines). */
  readonly stdinText?: string;
}

/** Reads files, directories and "-" (stdin, once) in the order given. */
export function readInputs(inputs: readonly string[], readStdin?: () => string): InputObjects {
  const objects: ManifestObject[] = [];
  const problems: ManifestProblem[] = [];
  let stdinText: string | undefined;
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const read = readManifests(run);
    objects.push(...read.objects);
    problems.push(...read.problems);
    run = [];
  };
  for (const input of inputs) {
    if (input !== '-') {
      run.push(input);
      continue;
    }
    flush();
    if (stdinText !== undefined) continue;
    try {
      stdinText = (readStdin ?? (() => fs.readFileSync(0, 'utf8')))();
    } catch (e) {
      problems.push({ file: STDIN, message: `cannot read standard input: ${(e as Error).message}` });
      stdinText = '';
      continue;
    }
    const parsed = parseManifests(stdinText, STDIN);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  flush();
  return { objects, problems, ...(stdinText !== undefined ? { stdinText } : {}) };
}

/** Field lines for findings, one parse per file, only for files that have findings. */
export class Locations {
  private readonly locators = new Map<string, FieldLocator | null>();

  constructor(private readonly stdinText?: string) {}

  fieldLine(source: SourceLocation, path: string): number | undefined {
    let locator = this.locators.get(source.file);
    if (locator === undefined) {
      let text: string | undefined;
      try {
        text = source.file === STDIN ? this.stdinText : fs.readFileSync(source.file, 'utf8');
      } catch {
        text = undefined;
      }
      locator = text === undefined ? null : new FieldLocator(text);
      this.locators.set(source.file, locator);
    }
    return locator?.lineOf(source.line, path);
  }
}

/**
 * Evaluates objects (each with its source, when it has one) and locates every finding. `locations`
 * gives field lines; without it, findings carry the object's line only.
 */
export function inspect(inputs: ReadonlyArray<{ object: KubeObject; source?: SourceLocation }>, options: InspectOptions, locations?: Locations): Omit<Inspection, 'problems'> {
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const packs = options.packs && options.packs.length > 0 ? options.packs : DEFAULT_PACKS;
  const minSeverity = options.minSeverity ?? 'low';
  const placed = inputs.map((i) => ({ ...i, object: options.namespace ? withDefaultNamespace(i.object, options.namespace) : i.object }));
  const sourceOf = new Map<KubeObject, SourceLocation | undefined>(placed.map((p) => [p.object, p.source]));
  const rules = rulesFor(parsePolicyVersion(kubernetesVersion), packs);
  const skipped = rules.some((r) => r.id === 'images/trusted-registry') && options.trustedRegistries === undefined
    ? [{ rule: 'images/trusted-registry', reason: 'no trusted registries were given (--trusted-registry REGISTRY), so images were not checked against any' }]
    : [];
  const evaluated = evaluateEach(placed.map((p) => p.object), {
    kubernetesVersion,
    packs,
    now: options.now,
    ...(options.waivers ? { waivers: options.waivers } : {}),
    ...(options.trustedRegistries ? { trustedRegistries: options.trustedRegistries } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  const namespaces = namespacesByName([...placed.map((p) => p.object), ...(options.context ?? [])]);
  const objects: CheckedObject[] = evaluated.map(({ object, findings }) => {
    const source = sourceOf.get(object);
    const bulwarkMade = isBulwarkMade(object, namespaces);
    const located = findings
      .filter((f) => severityRank(f.severity) <= severityRank(minSeverity))
      .map((f): LocatedFinding => {
        const rule = CATALOG_BY_ID.get(f.ruleId);
        const fix = rule ? remediationFor(rule, bulwarkMade) : { text: f.remediation, for: 'construct' as const };
        const fieldLine = source && locations ? locations.fieldLine(source, f.path) : undefined;
        return {
          ...f,
          remediation: fix.text,
          remediationFor: fix.for,
          ...(source ? { file: source.file, line: source.line } : {}),
          ...(fieldLine !== undefined ? { fieldLine } : {}),
        };
      });
    return { object, ...(source ? { source } : {}), bulwarkMade, findings: located };
  });
  return { objects, skipped, rules, kubernetesVersion, packs, minSeverity };
}

export function allFindings(inspection: Pick<Inspection, 'objects'>): LocatedFinding[] {
  return inspection.objects.flatMap((o) => o.findings);
}
