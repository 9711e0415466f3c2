import { CATALOG_BY_ID } from './catalog';
import { DEFAULT_KUBERNETES_VERSION } from './kubernetes-versions';
import { PackName, packRules } from './packs';
import { validWaiver } from './rules/waivers/valid-waiver';
import { Finding, KubeObject, objectRef, parsePolicyVersion, PolicyVersion, Rule, RuleContext, WaiverSpec } from './types';
import { admissionWaiverProblems, readWaivers, waiverProblems } from './waivers';

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
  /**
   * Registries images may come from: one list for every object, or a function giving each
   * object's list. @default - none configured: rule images/trusted-registry does not apply
   */
  readonly trustedRegistries?: readonly string[] | ((object: KubeObject) => readonly string[] | undefined);
  /**
   * Run only these rules (by id) of the packs in force: for a caller that acts on some rules'
   * findings only, such as a construct refusing a prop early, before the whole-App check runs them
   * all. An id outside the catalog is an error. @default - every rule of the packs
   */
  readonly rules?: readonly string[];
}

export const DEFAULT_PACKS: readonly PackName[] = ['pss-restricted', 'bulwark-recommended'];

const RULES_IN_FORCE = new Map<string, readonly Rule[]>();

/**
 * Rules in force for the options, de-duplicated by id (the first pack's wins), in catalog order;
 * the waiver rule is always on. Built once per version and pack list: every evaluate() asks.
 */
export function rulesFor(version: PolicyVersion, packs: readonly PackName[]): readonly Rule[] {
  const key = `${version.major}.${version.minor}|${packs.join(',')}`;
  let rules = RULES_IN_FORCE.get(key);
  if (!rules) {
    const byId = new Map<string, Rule>();
    for (const r of [...packs.flatMap((p) => packRules(p, version)), validWaiver]) if (!byId.has(r.id)) byId.set(r.id, r);
    rules = Object.freeze([...CATALOG_BY_ID.keys()].flatMap((id) => byId.get(id) ?? []));
    RULES_IN_FORCE.set(key, rules);
  }
  return rules;
}

/** rulesFor(), narrowed to `only` when given; an unknown id is a caller's mistake, said at once. */
function rulesToRun(version: PolicyVersion, packs: readonly PackName[], only: readonly string[] | undefined): readonly Rule[] {
  const rules = rulesFor(version, packs);
  if (!only) return rules;
  const unknown = only.filter((id) => !CATALOG_BY_ID.has(id));
  if (unknown.length > 0) throw new Error(`evaluate: no rule ${unknown.map((id) => `"${id}"`).join(', ')} in the catalog`);
  const wanted = new Set(only);
  return rules.filter((r) => wanted.has(r.id));
}

/**
 * Runs every rule of the selected packs over every object and returns all findings, waived ones
 * included (with `waiver` set). Deterministic: objects in input order, rules in catalog order.
 */
export function evaluate(input: readonly KubeObject[], options: EvaluateOptions = {}): Finding[] {
  return evaluateEach(input, options).flatMap((e) => e.findings);
}

/** One evaluated object (a List's item, once flattened) and its own findings. */
export interface ObjectFindings {
  readonly object: KubeObject;
  readonly findings: Finding[];
}

/**
 * evaluate(), keeping each object beside its own findings, in input order (objects without findings
 * included): for callers that must say which file and line a finding came from even when two inputs
 * carry the same kind, namespace and name.
 */
export function evaluateEach(input: readonly KubeObject[], options: EvaluateOptions = {}): ObjectFindings[] {
  const version = parsePolicyVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const now = options.now ?? new Date();
  // kubectl applies the items of a List (and of PodList, DeploymentList, ...): so are they checked.
  const originals = flattenLists(input);
  // Rules judge each object as the API server will read it (apiServerView); findings stay with the
  // object given, and a per-object registry list is looked up by it.
  const objects = originals.map(apiServerView);
  const contextObjects = flattenLists(options.context ?? []).map(apiServerView);
  const originalOf = new Map<KubeObject, KubeObject>();
  objects.forEach((v, i) => { if (v !== originals[i]) originalOf.set(v, originals[i]); });
  const registries = options.trustedRegistries;
  const trustedRegistries = typeof registries === 'function' ? (o: KubeObject) => registries(originalOf.get(o) ?? o) : registries;
  const context = ruleContext([...objects, ...contextObjects], { version, now, trustedRegistries, previous: contextObjects });
  const rules = rulesToRun(version, options.packs ?? DEFAULT_PACKS, options.rules);
  const out: ObjectFindings[] = [];
  for (const object of objects) {
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    const findings: Finding[] = [];
    out.push({ object: originalOf.get(object) ?? object, findings });
    const ref = objectRef(object);
    const own = readWaivers(object).waivers;
    // A guardrail rule's waiver counts only when its CEL-readable form, which the API server reads, agrees.
    const disagreeing = new Set(admissionWaiverProblems(object, own, CATALOG_BY_ID).map((p) => p.rule));
    const waivers = [
      ...own.filter((w) => !disagreeing.has(w.rule)),
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
  return out;
}

/**
 * The context rules see: the objects, the clock, and indexes built at most once per evaluation
 * (by kind, and any derived index a rule memoizes), so that cross-object rules stay linear.
 */
export function ruleContext(
  objects: readonly KubeObject[],
  options: { version: PolicyVersion; now: Date; trustedRegistries?: EvaluateOptions['trustedRegistries']; previous?: readonly KubeObject[] },
): RuleContext {
  let byKind: Map<string, KubeObject[]> | undefined;
  let previous: Map<string, KubeObject> | undefined;
  const memos = new Map<string, unknown>();
  const registries = options.trustedRegistries;
  return {
    version: options.version,
    objects,
    catalog: CATALOG_BY_ID,
    now: options.now,
    ofKind(kind: string): readonly KubeObject[] {
      if (!byKind) {
        byKind = new Map();
        for (const o of objects) {
          if (!o || typeof o !== 'object' || typeof o.kind !== 'string') continue;
          const list = byKind.get(o.kind);
          if (list) list.push(o); else byKind.set(o.kind, [o]);
        }
      }
      return byKind.get(kind) ?? [];
    },
    memo<T>(key: string, build: (all: readonly KubeObject[]) => T): T {
      if (!memos.has(key)) memos.set(key, build(objects));
      return memos.get(key) as T;
    },
    trustedRegistriesOf(object: KubeObject): readonly string[] | undefined {
      return typeof registries === 'function' ? registries(object) : registries;
    },
    previousOf(object: KubeObject): KubeObject | undefined {
      if (!previous) {
        previous = new Map();
        for (const o of options.previous ?? []) if (o && typeof o === 'object' && !previous.has(identityKey(o))) previous.set(identityKey(o), o);
      }
      const found = object && typeof object === 'object' ? previous.get(identityKey(object)) : undefined;
      return found === object ? undefined : found;
    },
  };
}

/**
 * An object as the API server reads it. Its JSON decoder (sigs.k8s.io/json, into typed fields)
 * turns a null into the field's zero value: `key: null` in a toleration is no key (which, with
 * operator Exists, tolerates every taint), and a null item of a string list is "" (`apiGroups:
 * [null]` is the core group). YAML writes null as `~`, `null` or nothing at all (`- ` or `key:`).
 * Rules judge this view, so a null cannot read as one thing to a rule and another to the cluster:
 * null fields are dropped, and a null item of a list becomes "" (a list of scalars) or {} (a list
 * of objects). An object with no null comes back as it is, uncopied.
 */
export function apiServerView(object: KubeObject): KubeObject {
  return object && typeof object === 'object' && holdsNull(object) ? (zeroNulls(object) as KubeObject) : object;
}

/** Whether a null sits anywhere in `v`: one walk that allocates nothing (every object is walked). */
function holdsNull(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsNull(v[i])) return true;
    return false;
  }
  for (const k in v as object) {
    if (Object.prototype.hasOwnProperty.call(v, k) && holdsNull((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function zeroNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    const ofObjects = v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
    return v.map((x) => (x === null ? (ofObjects ? {} : '') : zeroNulls(x)));
  }
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = zeroNulls(x);
  return out;
}

/** API group, kind, namespace and name: what the API server keys an object by. */
function identityKey(o: KubeObject): string {
  const apiVersion = String(o.apiVersion ?? '');
  return JSON.stringify([apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '', o.kind, o.metadata?.namespace ?? '', o.metadata?.name ?? '']);
}

/**
 * The objects kubectl would apply, read the way its unstructured decoder and FlattenListVisitor
 * read them: ANY object with an `items` field is a list, whatever its kind (a "Pod" with items
 * applies its items, not itself); an item with neither kind nor apiVersion takes the list's
 * (PodList -> Pod); items that are lists are flattened in turn. An item that is not an object,
 * or names only one of kind and apiVersion, is an error: kubectl would refuse the file.
 */
export function flattenLists(objects: readonly KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  const named = (o: any, f: 'kind' | 'apiVersion') => typeof o?.[f] === 'string' && o[f] !== '';
  const visit = (o: KubeObject, depth: number, where: string) => {
    if (!o || typeof o !== 'object' || !Object.prototype.hasOwnProperty.call(o, 'items')) {
      out.push(o);
      return;
    }
    if (depth > 32) throw new Error(`${where}: lists nested more than 32 deep`);
    if (o.items === null) return;
    if (!Array.isArray(o.items)) throw new Error(`${where}: the items of a list must be a list`);
    o.items.forEach((item: any, i: number) => {
      const at = `${where}.items[${i}]`;
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`${at} is not a Kubernetes object`);
      const typed = !named(item, 'kind') && !named(item, 'apiVersion')
        ? { ...item, apiVersion: o.apiVersion, kind: String(o.kind ?? '').replace(/List$/, '') }
        : item;
      if (!named(typed, 'kind') || !named(typed, 'apiVersion')) throw new Error(`${at} names no ${named(typed, 'kind') ? 'apiVersion' : 'kind'}: kubectl would refuse it`);
      visit(typed, depth + 1, at);
    });
  };
  objects.forEach((o, i) => visit(o, 0, `${o?.kind ?? 'object'} ${o?.metadata?.name ?? `#${i}`}`));
  return out;
}

export function unwaived(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.waiver);
}
