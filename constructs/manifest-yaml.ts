/**
 * Writes JSON objects as multi-document YAML that every YAML reader, YAML 1.1 (what Kubernetes
 * reads with) and YAML 1.2 alike, turns back into exactly the same JSON.
 *
 * Why not the `yaml` package, as cdk8s's Yaml.save does: it builds a document tree for every
 * value and decides the style of each scalar, which was more than half of synth time at
 * platform scale. Here a string is written plain only when it cannot mean anything but itself
 * (letters first, a small safe alphabet, no YAML 1.1 boolean or null word); anything else is
 * written as a double-quoted JSON string with the characters YAML treats as line breaks or
 * non-printable escaped. Round trips are proven in tests/manifest-yaml.test.ts.
 */

/**
 * Words YAML 1.1 reads as booleans or null in any letter case, and strings made only of number
 * characters ("e5", "_", "."): some readers' float patterns accept them.
 */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|[0-9eE._+-]+)$/i;
/** A plain scalar that no YAML reader resolves to anything but this string (":" never last). */
const PLAIN = /^[A-Za-z_/](?:[A-Za-z0-9_./@:-]*[A-Za-z0-9_./@-])?$/;
/** Characters JSON leaves raw that YAML treats as non-printable or as line breaks (NEL, LS, PS). */
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write the number ${v} as YAML: Kubernetes objects hold finite numbers only`);
    return JSON.stringify(v);
  }
  if (typeof v === 'string') {
    if (PLAIN.test(v) && !RESERVED.test(v)) return v;
    return JSON.stringify(v).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  throw new Error(`cannot write a ${typeof v} as YAML`);
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : undefined;
  return undefined;
}

/** Appends `value`, which sits after "key:" or "- " at `indent`, to `out`. */
function write(value: unknown, indent: string, out: string[], afterDash: boolean): void {
  const empty = isEmptyCollection(value);
  if (empty !== undefined || value === null || typeof value !== 'object') {
    out.push(` ${empty ?? scalar(value)}\n`);
    return;
  }
  if (Array.isArray(value)) {
    out.push('\n');
    for (const item of value) item_(item, indent, out);
    return;
  }
  if (!afterDash) out.push('\n');
  let first = afterDash;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out.push(first ? `${scalar(k)}:` : `${indent}${scalar(k)}:`);
    first = false;
    write(v, `${indent}  `, out, false);
  }
}

/** A sequence item at `indent`: "- " then the value; a map's first key shares the dash's line. */
function item_(item: unknown, indent: string, out: string[]): void {
  if (Array.isArray(item) && item.length > 0) {
    out.push(`${indent}-\n`);
    for (const inner of item) item_(inner, `${indent}  `, out);
    return;
  }
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).some((k) => (item as any)[k] !== undefined)) {
    out.push(`${indent}- `);
    write(item, `${indent}  `, out, true);
    return;
  }
  out.push(`${indent}-`);
  write(item, indent, out, false);
}

/** One YAML document for a JSON object (a map at the top level). */
export function toYamlDocument(doc: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined) continue;
    out.push(`${scalar(k)}:`);
    write(v, '  ', out, false);
  }
  return out.length === 0 ? '{}\n' : out.join('');
}

/** Documents separated by "---", as cdk8s writes them. */
export function toYamlStream(docs: ReadonlyArray<Record<string, unknown>>): string {
  return docs.map(toYamlDocument).join('---\n');
}
