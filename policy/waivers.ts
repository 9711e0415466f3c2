import { KubeObject, WAIVERS_ANNOTATION, WaiverSpec } from './types';

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
  if (reason.length < MIN_WAIVER_REASON_LENGTH) {
    problems.push(`reason "${reason}" is too short (at least ${MIN_WAIVER_REASON_LENGTH} characters: say why the risk is acceptable)`);
  }
  if (w.expires !== undefined) {
    const end = parseExpiry(w.expires);
    if (!end) problems.push(`expires "${w.expires}" is not a date (YYYY-MM-DD)`);
    else if (end.getTime() < now.getTime()) problems.push(`expired on ${w.expires}`);
  }
  return problems;
}

/** A waiver expires at the end of its expiry day, UTC. */
export function parseExpiry(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const d = new Date(`${text}T23:59:59.999Z`);
  // Date rolls 2027-02-31 over to March: only a date that formats back to itself is real.
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? undefined : d;
}
