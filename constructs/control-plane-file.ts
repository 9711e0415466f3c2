import { IConstruct } from 'constructs';
import { evaluate, Finding, KubeObject, ruleById, unwaived, WaiverSpec } from '../policy';
import { BulwarkError } from './errors';
import { Waiver } from './waiver';

/** One file under <outdir>/control-plane/ (e.g. dist/<cluster>/control-plane/): a comment header and YAML documents. */
export interface ControlPlaneFile {
  /** Lines written as "# " comments above the documents. */
  readonly header: string;
  readonly documents: readonly KubeObject[];
  /** Waivers that relax rules for these documents; listed in the header. @default - none */
  readonly waivers?: readonly WaiverSpec[];
}

/**
 * A construct that contributes files under <outdir>/control-plane/ (configuration files for
 * kube-apiserver, the kubelet, kubeadm and kind). stacks/control-plane-files.ts writes the files
 * of every construct in the App that implements it, after checking them with the
 * `cis-control-plane` rule pack.
 */
export interface IControlPlaneFiles {
  controlPlaneFiles(): Record<string, ControlPlaneFile>;
}

export function hasControlPlaneFiles(x: unknown): x is IControlPlaneFiles {
  return typeof x === 'object' && x !== null && typeof (x as IControlPlaneFiles).controlPlaneFiles === 'function';
}

/** Every file of every construct under `root`, by name; two constructs writing one name is an error. */
export function collectControlPlaneFiles(root: IConstruct): Map<string, { file: ControlPlaneFile; source: IConstruct }> {
  const out = new Map<string, { file: ControlPlaneFile; source: IConstruct }>();
  for (const c of root.node.findAll()) {
    if (!hasControlPlaneFiles(c)) continue;
    for (const [name, file] of Object.entries(c.controlPlaneFiles())) {
      const first = out.get(name);
      if (first) throw new Error(`"${first.source.node.path}" and "${c.node.path}" both write control-plane/${name}: rename one, or create the construct once.`);
      out.set(name, { file, source: c });
    }
  }
  return out;
}

export function waiverSpecs(waivers: readonly Waiver[]): WaiverSpec[] {
  return waivers.map((w) => w.toSpec());
}

/**
 * Every finding of the `cis-control-plane` pack over `documents`, with `context` (the other
 * control-plane documents) for rules that relate files, and `waivers` applying to all of them.
 */
export function controlPlaneFindings(documents: readonly KubeObject[], options: { context?: readonly KubeObject[]; waivers?: readonly WaiverSpec[]; now?: Date } = {}): Finding[] {
  return evaluate(documents, { packs: ['cis-control-plane'], context: options.context, waivers: options.waivers, now: options.now });
}

/** The unwaived findings of each file, with every document of `all` (the App's set) as context. */
export function fileProblems(files: ReadonlyMap<string, ControlPlaneFile>, all: readonly KubeObject[], now?: Date): string[] {
  const out: string[] = [];
  for (const [name, file] of files) {
    for (const f of unwaived(controlPlaneFindings(file.documents, { context: all.filter((d) => !file.documents.includes(d)), waivers: file.waivers, now }))) {
      out.push(`control-plane/${name}: ${f.object.kind} [${f.ruleId}] ${f.reason}: ${f.detail} (at ${f.path}). Fix: ${f.remediation}`);
    }
  }
  return out;
}

/**
 * Synth-time problems of one construct's files, checked with the App's other control-plane
 * files as context: a construct registers this as its validation, so synth fails on them.
 */
export function synthProblemsOf(construct: IControlPlaneFiles & IConstruct): string[] {
  const all = collectControlPlaneFiles(construct.node.root);
  const mine = new Map(Object.keys(construct.controlPlaneFiles()).map((name) => [name, all.get(name)!.file]));
  return fileProblems(mine, [...all.values()].flatMap((e) => e.file.documents));
}

/**
 * Throws a BulwarkError for the first unwaived control-plane finding over `documents`: the
 * construct asks the engine, so a constructor refuses exactly what synth would.
 */
export function refuseUnlessWaived(who: string, documents: readonly KubeObject[], blame: (f: Finding) => { prop: string; value: unknown },
  options: { context?: readonly KubeObject[]; waivers?: readonly Waiver[] } = {}): void {
  const [f] = unwaived(controlPlaneFindings(documents, { context: options.context, waivers: waiverSpecs(options.waivers ?? []) }));
  if (!f) return;
  const { prop, value } = blame(f);
  const waivable = ruleById(f.ruleId)?.waivable;
  throw new BulwarkError(who, prop, value, f.ruleId, `is refused: ${f.detail}`, `${f.remediation}${waivable ? ` Or add a Waiver of ${f.ruleId} with the reason.` : ''}`);
}

/** The value at a dotted path ("a.b[0].c") of a document. */
export function valueAt(doc: unknown, path: string): unknown {
  return path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '').reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), doc);
}

/** Header lines that list the waivers in force for a file. */
export function waiverLines(waivers: readonly WaiverSpec[]): string[] {
  return waivers.map((w) => `Waived: ${w.rule}: ${w.reason}${w.owner ? ` (owner ${w.owner})` : ''}${w.expires ? ` (expires ${w.expires})` : ''}`);
}
