import { KubeObject, RuleMeta, WAIVERS_ANNOTATION, WaiverSpec } from './types';

/** Minimum length of a waiver reason: a reason must say why, not just "needed". */
export const MIN_WAIVER_REASON_LENGTH = 20;

export interface ParsedWaivers {
  readonly waivers: readonly WaiverSpec[];
  /** Set when the annotation is present but is not a JSON array of waivers. */
  readonly error?: string;
}

/** Reads the waivers an object carries in its `bulwark.dev/waivers` annotation. */
export function readWaivers(object: KubeObject): ParsedWaivers {
  const raw = object.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (raw === undefined) return { waivers: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { waivers: [], error: `annotation ${WAIVERS_ANNOTATION} is not valid JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(parsed) || parsed.some((w) => typeof w !== 'object' || w === null || typeof (w as any).rule !== 'string')) {
    return { waivers: [], error: `annotation ${WAIVERS_ANNOTATION} must be a JSON array of {"rule", "reason", "owner"?, "expires"?, "container"?}` };
  }
  return { waivers: parsed as WaiverSpec[] };
}

/** Serializes waivers into the annotation value, in a stable order. */
export function writeWaivers(waivers: readonly WaiverSpec[]): string {
  const key = (w: WaiverSpec) => `${w.rule}/${w.container ?? ''}`;
  const sorted = [...waivers].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return JSON.stringify(sorted.map((w) => ({
    rule: w.rule,
    reason: w.reason,
    ...(w.owner ? { owner: w.owner } : {}),
    ...(w.expires ? { expires: w.expires } : {}),
    ...(w.container ? { container: w.container } : {}),
  })));
}

/** Problems that make a waiver invalid; empty when it is valid. */
export function waiverProblems(w: WaiverSpec, knownRule: { waivable: boolean } | undefined, now: Date): string[] {
  const problems: string[] = [];
  if (!knownRule) problems.push(`rule "${w.rule}" does not exist`);
  else if (!knownRule.waivable) problems.push(`rule "${w.rule}" cannot be waived`);
  const reason = typeof w.reason === 'string' ? w.reason.trim() : '';
  const visible = visibleLength(reason);
  if (visible < MIN_WAIVER_REASON_LENGTH) {
    const hidden = [...reason].length > visible ? `; only ${visible} of them visible` : '';
    problems.push(`reason "${reason}" is too short (at least ${MIN_WAIVER_REASON_LENGTH} characters${hidden}: say why the risk is acceptable)`);
  }
  if (w.expires !== undefined) {
    const end = parseExpiry(w.expires);
    if (!end) problems.push(`expires "${w.expires}" is not a date (YYYY-MM-DD)`);
    else if (end.getTime() < now.getTime()) problems.push(`expired on ${w.expires}`);
  }
  return problems;
}

/**
 * Code points that print nothing: white space of every script, control and format characters
 * (zero-width space and joiners, bidi marks, soft hyphen, word joiner, BOM, tags), the other
 * default-ignorable ones (Hangul fillers, variation selectors, the combining grapheme joiner),
 * private-use, surrogate and unassigned code points, and the blank Braille pattern.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cs}\p{Cn}\u2800]/u;
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * How many characters of `text` a reader sees: user-perceived characters (grapheme clusters, so
 * "e" with 20 combining accents is one, an emoji sequence is one) with at least one code point that
 * is not INVISIBLE. A reason of 20 zero-width spaces has none.
 */
export function visibleLength(text: string): number {
  let n = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    for (const ch of segment) {
      if (!INVISIBLE.test(ch)) { n++; break; }
    }
  }
  return n;
}

/** A waiver expires at the end of its expiry day, UTC. */
export function parseExpiry(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const d = new Date(`${text}T23:59:59.999Z`);
  // Date rolls 2027-02-31 over to March: only a date that formats back to itself is real.
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? undefined : d;
}

/**
 * The form of a waiver the API server can read. Kubernetes CEL cannot decode the JSON annotation,
 * so every waiver of a guardrail rule (a rule with an admission form) is also written as one
 * annotation per rule: `waiver.bulwark.dev/<domain>.<name>` (the rule id with its "/" made a
 * ".", as annotation names allow no "/"), whose value lists the waivers of that rule, sorted and
 * space-separated: `<expiry>` for the whole object, `<container>=<expiry>` for one container,
 * the expiry being the JSON form's `expires` or `never`. Example: `never`, or
 * `2027-03-31 sidecar=never`. The two forms must agree: the engine treats a waiver whose rule's
 * forms differ as invalid (rule waivers/valid-waiver), and the guardrails read only this one.
 */
export const ADMISSION_WAIVER_PREFIX = 'waiver.bulwark.dev/';

/** The CEL-readable annotation of a rule's waivers. */
export function admissionWaiverKey(ruleId: string): string {
  return `${ADMISSION_WAIVER_PREFIX}${ruleId.replace('/', '.')}`;
}

/** One waiver as an entry of the CEL-readable value. */
export function admissionWaiverEntry(w: WaiverSpec): string {
  return `${w.container ? `${w.container}=` : ''}${w.expires ?? 'never'}`;
}

/** True when a rule's waivers must also be written in the CEL-readable form: it is a waivable guardrail. */
export function needsAdmissionForm(rule: RuleMeta | undefined): boolean {
  return !!rule && rule.waivable && typeof rule.admission === 'function';
}

/** The CEL-readable annotations for `waivers` (only those of guardrail rules), in a stable order. */
export function writeAdmissionWaivers(waivers: readonly WaiverSpec[], catalog: ReadonlyMap<string, RuleMeta>): Record<string, string> {
  const byRule = new Map<string, Set<string>>();
  for (const w of waivers) {
    if (!needsAdmissionForm(catalog.get(w.rule))) continue;
    const entries = byRule.get(w.rule) ?? new Set<string>();
    entries.add(admissionWaiverEntry(w));
    byRule.set(w.rule, entries);
  }
  return Object.fromEntries([...byRule.keys()].sort().map((rule) => [admissionWaiverKey(rule), [...byRule.get(rule)!].sort().join(' ')]));
}

/** The catalog's rules by their admission-waiver annotation key, built once per catalog. */
const BY_KEY = new WeakMap<ReadonlyMap<string, RuleMeta>, Map<string, RuleMeta>>();

/**
 * Where an object's CEL-readable waiver annotations disagree with its JSON waivers: a guardrail
 * rule waived in one form and not the other, or with other entries, or an annotation for a rule
 * that is unknown, not waivable or not a guardrail. Empty when both forms agree.
 */
export function admissionWaiverProblems(object: KubeObject, waivers: readonly WaiverSpec[], catalog: ReadonlyMap<string, RuleMeta>): Array<{ rule: string; key: string; problem: string }> {
  const annotations = object.metadata?.annotations ?? {};
  // Most objects carry no waiver in either form: then both forms agree, with nothing to compare.
  if (waivers.length === 0 && !Object.keys(annotations).some((k) => k.startsWith(ADMISSION_WAIVER_PREFIX))) return [];
  const expected = writeAdmissionWaivers(waivers, catalog);
  const problems: Array<{ rule: string; key: string; problem: string }> = [];
  let byKey = BY_KEY.get(catalog);
  if (!byKey) BY_KEY.set(catalog, byKey = new Map([...catalog.values()].map((r) => [admissionWaiverKey(r.id), r])));
  for (const key of Object.keys(annotations).filter((k) => k.startsWith(ADMISSION_WAIVER_PREFIX)).sort()) {
    const rule = byKey.get(key);
    if (!needsAdmissionForm(rule)) {
      problems.push({ rule: rule?.id ?? key.slice(ADMISSION_WAIVER_PREFIX.length), key, problem: `annotation ${key} names no waivable guardrail rule` });
    }
  }
  for (const rule of [...catalog.values()].filter(needsAdmissionForm)) {
    const key = admissionWaiverKey(rule.id);
    const want = expected[key];
    const raw = annotations[key];
    const have = typeof raw === 'string' ? [...new Set(raw.split(' ').filter((e) => e !== ''))].sort().join(' ') : undefined;
    if (want === have) continue;
    problems.push({
      rule: rule.id,
      key,
      problem: want === undefined
        ? `annotation ${key} ("${raw}") waives a rule the ${WAIVERS_ANNOTATION} annotation does not`
        : have === undefined
          ? `the waiver has no CEL-readable form: add the annotation ${key}: "${want}" (the API server cannot read ${WAIVERS_ANNOTATION})`
          : `annotation ${key} is "${raw}" but ${WAIVERS_ANNOTATION} says "${want}"`,
    });
  }
  return problems;
}
