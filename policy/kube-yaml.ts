/**
 * Reads a manifest file's text the way Kubernetes does, so that what Bulwark checks is what the API
 * server gets. kubectl (k8s.io/apimachinery's YAMLOrJSONDecoder) reads a file as a stream of JSON
 * values when it starts with `{`, and otherwise splits it into documents at lines that begin with
 * `---` and converts each with sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1 scalars)
 * and then turns the result into JSON. This module reproduces that, value for value:
 *
 * - Plain scalars resolve as go-yaml v2 resolves them: `yes`/`no`/`on`/`off`/`y`/`n` in the cases
 *   its table lists are booleans, `0644` is octal, `0x1F`, `0o17`, `0b101`, `1_000`, `08` (a float),
 *   `+.inf` are numbers, `2026-11-22` and `12:30` are strings, and so on.
 * - Merge keys (`<<`, a mapping or a list of them) take effect in go-yaml's order: a merge
 *   overwrites keys set before it in the same mapping, keys after it override the merge, and
 *   earlier maps of a merge list win over later ones.
 * - Anything go-yaml and sigs.k8s.io/yaml would silently resolve one way or another is an error:
 *   duplicate keys, keys that only collide once made JSON strings (`true` and `"true"`), null and
 *   collection keys, values JSON cannot hold (`.nan`), excessive aliasing.
 *
 * Speed: most documents are parsed by js-yaml with a schema that resolves scalars as go-yaml does;
 * a document js-yaml cannot represent exactly (merge keys, non-string keys, an error to explain)
 * is parsed by the `yaml` package's AST and converted here, which is exact but several times slower.
 */
import * as jsyaml from 'js-yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, Node, parseAllDocuments, Scalar, YAMLMap } from 'yaml';

/** One document of a stream, as the JSON value Kubernetes would decode it to. */
export interface StreamDocument {
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** 1-based line where an object inside the document (a List's item) starts, when known. */
  lineOf(object: object): number | undefined;
  /** The document's text has `{{`: probably a template that was not rendered. */
  readonly template: boolean;
}

export interface StreamProblem {
  /** 1-based line the problem is at, when known. */
  readonly line?: number;
  readonly message: string;
}

export interface ParsedStream {
  /** Documents in order; empty and null documents (kubectl skips them) are left out. */
  readonly documents: StreamDocument[];
  readonly problems: StreamProblem[];
}

/**
 * Parses a whole file's text (YAML or JSON) as kubectl does. `firstLine` is the line number the
 * text starts at. Never throws for bad input: every document that cannot be read is a problem,
 * and the documents around it are still returned.
 */
export function parseKubernetesStream(text: string, firstLine = 1): ParsedStream {
  const documents: StreamDocument[] = [];
  const problems: StreamProblem[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source, firstLine);
  let yamlFrom = 0;
  if (JSON_PREFIX.test(source)) {
    // kubectl's YAMLOrJSONDecoder: a stream that starts with `{` is read as JSON values; when the
    // first or second value is not JSON, the rest of the stream is read as YAML instead.
    const json = parseJsonStream(source);
    for (const v of json.values) {
      if (v.problem) problems.push({ line: lines.lineAt(v.problem.offset), message: v.problem.message });
      else if (v.value !== null) documents.push({ value: v.value, line: lines.lineAt(v.offset), lineOf: lineFromOffsets(v.offsets, lines), template: false });
    }
    if (!json.error) return { documents, problems };
    if (json.values.length > 1) {
      problems.push({ line: lines.lineAt(json.error.offset), message: `invalid JSON: ${json.error.message}` });
      return { documents, problems };
    }
    yamlFrom = json.values.length === 0 ? 0 : afterWhitespaceLine(source, json.values[0].end);
  }
  const split = splitYamlDocuments(source, yamlFrom);
  const found: Array<StreamProblem & { offset: number }> = split.problems.map((p) => ({ ...p, line: lines.lineAt(p.offset) }));
  for (const chunk of split.chunks) {
    const result = parseYamlChunk(chunk.text, lines.lineAt(chunk.start));
    const hint = chunk.text.includes('{{') ? ' (it looks like an unrendered template: render it first, e.g. with helm template)' : '';
    found.push(...result.problems.map((p) => ({ ...p, message: `${p.message}${hint}`, offset: chunk.start })));
    if (result.document && result.document.value !== null) documents.push(result.document);
  }
  found.sort((a, b) => a.offset - b.offset);
  problems.push(...found.map(({ line, message }) => ({ line, message })));
  return { documents, problems };
}

// ---------------------------------------------------------------------------------------------
// Scalars, as go-yaml v2's resolve() (resolve.go) and sigs.k8s.io/yaml's key conversion see them.

const TAG = 'tag:yaml.org,2002:';
const STR_TAG = `${TAG}str`;
const BOOL_TAG = `${TAG}bool`;
const INT_TAG = `${TAG}int`;
const FLOAT_TAG = `${TAG}float`;
const NULL_TAG = `${TAG}null`;
const TIMESTAMP_TAG = `${TAG}timestamp`;
const BINARY_TAG = `${TAG}binary`;
const MERGE_TAG = `${TAG}merge`;

/** go-yaml v2's resolve table: exactly these spellings, nothing case-insensitive beyond them. */
const SPECIAL = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** The first characters go-yaml tries to resolve at all (its resolveTable); others are strings. */
function hintOf(c: number): 'D' | 'S' | 'M' | '.' | undefined {
  if (c >= 0x30 && c <= 0x39) return 'D';
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c === 0x2e) return '.';
  // y Y n N t T f F o O ~
  if (c === 0x79 || c === 0x59 || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46 || c === 0x6f || c === 0x4f || c === 0x7e) return 'M';
  return undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const SMALL_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

type Kind = 'str' | 'null' | 'bool' | 'int' | 'uint' | 'float';
interface Resolved { kind: Kind; value: unknown; int?: bigint }

/** A plain (unquoted, untagged) scalar's value, the fast way. */
export function resolvePlain(s: string): unknown {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  if (c >= 0x31 && c <= 0x39 && SMALL_DECIMAL.test(s)) return Number(s);
  const hint = hintOf(c);
  if (hint === undefined) return s;
  return resolveHinted(s, hint).value;
}

/** What go-yaml's resolve("", s) gives, with its type (sigs.k8s.io/yaml turns keys to strings by type). */
function resolveScalar(s: string): Resolved {
  if (s.length === 0) return { kind: 'null', value: null };
  const hint = hintOf(s.charCodeAt(0));
  return hint === undefined ? { kind: 'str', value: s } : resolveHinted(s, hint);
}

function resolveHinted(s: string, hint: 'D' | 'S' | 'M' | '.'): Resolved {
  if (SPECIAL.has(s)) {
    const special = SPECIAL.get(s);
    return { kind: special === null ? 'null' : typeof special === 'boolean' ? 'bool' : 'float', value: special };
  }
  if (hint === 'M') return { kind: 'str', value: s };
  if (hint === '.') {
    // strconv.ParseFloat(s): only `.5`, `.5e3` and the like; out of range is an error, so a string.
    if (DOT_FLOAT.test(s)) {
      const f = Number(s);
      if (Number.isFinite(f)) return { kind: 'float', value: f };
    }
    return { kind: 'str', value: s };
  }
  // Timestamps (2006-1-2...) resolve to their own text, as strings; none of them is a number.
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const i = parseGoInt(plain, 0);
  if (i !== undefined) return { kind: 'int', value: Number(i), int: i };
  const u = parseGoUint(plain, 0);
  if (u !== undefined) return { kind: 'uint', value: Number(u), int: u };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { kind: 'float', value: f };
  }
  if (plain.startsWith('0b')) {
    const b = parseGoInt(plain.slice(2), 2);
    if (b !== undefined) return { kind: 'int', value: Number(b), int: b };
    const ub = parseGoUint(plain.slice(2), 2);
    if (ub !== undefined) return { kind: 'uint', value: Number(ub), int: ub };
  } else if (plain.startsWith('-0b')) {
    const b = parseGoInt(`-${plain.slice(3)}`, 2);
    if (b !== undefined) return { kind: 'int', value: Number(b), int: b };
  }
  return { kind: 'str', value: s };
}

/** strconv.ParseInt(s, base, 64): an optional sign, then ParseUint; undefined on any error. */
function parseGoInt(s: string, base: number): bigint | undefined {
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseGoUint(body, base);
  if (u === undefined) return undefined;
  if (neg ? u > INT64_MAX + 1n : u > INT64_MAX) return undefined;
  return neg ? -u : u;
}

/** strconv.ParseUint(s, base, 64), base 0 meaning Go's prefixes (0x, 0o, 0b, and a leading 0 for octal). */
function parseGoUint(s: string, base: number): bigint | undefined {
  if (s.length === 0) return undefined;
  let b = base;
  let start = 0;
  if (b === 0) {
    b = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b') { b = 2; start = 2; } else if (p === 'o') { b = 8; start = 2; } else if (p === 'x') { b = 16; start = 2; } else { b = 8; start = 1; }
    }
  }
  let n = 0n;
  const big = BigInt(b);
  for (let k = start; k < s.length; k++) {
    const d = digitValue(s.charCodeAt(k));
    if (d < 0 || d >= b) return undefined;
    n = n * big + BigInt(d);
  }
  return n > UINT64_MAX ? undefined : n;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return -1;
}

/** Go time.Parse with go-yaml's four layouts, closely enough for an explicit !!timestamp. */
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;
function isGoTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [month, day] = [Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  const [h, mi, sec] = [m[4] ?? m[7], m[5] ?? m[8], m[6] ?? m[9]].map((x) => Number(x ?? 0));
  return month >= 1 && month <= 12 && day >= 1 && day <= days && h < 24 && mi < 60 && sec < 60;
}

class ScalarError extends Error {}

/** A scalar with an explicit tag, as go-yaml decodes it into interface{}; throws ScalarError when go-yaml fails. */
function resolveTagged(tag: string, s: string): Resolved {
  switch (tag) {
    case STR_TAG:
      return { kind: 'str', value: s };
    case BINARY_TAG: {
      // base64.StdEncoding.DecodeString ignores line breaks only.
      const b64 = s.replace(/[\r\n]/g, '');
      if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ScalarError('!!binary value contains invalid base64 data');
      return { kind: 'str', value: Buffer.from(b64, 'base64').toString('utf8') };
    }
    case BOOL_TAG: case INT_TAG: case FLOAT_TAG: case NULL_TAG: case TIMESTAMP_TAG: {
      if (tag === TIMESTAMP_TAG && isGoTimestamp(s)) return { kind: 'str', value: s };
      const r = resolveScalar(s);
      const want = { [BOOL_TAG]: 'bool', [INT_TAG]: 'int', [FLOAT_TAG]: 'float', [NULL_TAG]: 'null', [TIMESTAMP_TAG]: 'timestamp' }[tag];
      if (r.kind === want || (tag === INT_TAG && r.kind === 'uint')) return r;
      if (tag === FLOAT_TAG && r.kind === 'int') return { kind: 'float', value: r.value };
      throw new ScalarError(`cannot decode !!${r.kind} \`${s}\` as a !!${want}`);
    }
    default:
      // go-yaml does not resolve other tags (!!set, !!merge, !custom, the non-specific `!`): the text.
      return { kind: 'str', value: s };
  }
}

/** sigs.k8s.io/yaml's conversion of a go-yaml map key to a JSON object key. */
function jsonKey(r: Resolved): string {
  switch (r.kind) {
    case 'str': return r.value as string;
    case 'bool': return r.value ? 'true' : 'false';
    case 'int': return (r.int as bigint).toString();
    case 'float': return goFloat32String(r.value as number);
    case 'null': throw new ScalarError('a null mapping key cannot become JSON: Kubernetes refuses it (unsupported map key)');
    default: throw new ScalarError(`the key ${String(r.int)} is an unsigned 64-bit integer, which Kubernetes refuses as a map key`);
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's spellings of infinities and NaN. */
function goFloat32String(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  const x = Math.fround(f);
  if (x === Number.POSITIVE_INFINITY) return '.inf';
  if (x === Number.NEGATIVE_INFINITY) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let exp = '';
  for (let p = 1; p <= 9; p++) {
    exp = Math.abs(x).toExponential(p - 1);
    if (Math.fround(Number(exp)) === Math.abs(x)) break;
  }
  const [mantissa, e] = exp.split('e');
  const digits = mantissa.replace('.', '');
  const dp = Number(e) + 1;
  const sign = x < 0 ? '-' : '';
  if (dp - 1 < -4 || dp - 1 >= 6) {
    const ex = dp - 1;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${sign}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

// ---------------------------------------------------------------------------------------------
// Documents: kubectl's YAMLReader splits at lines starting with `---`; go-yaml reads the first
// YAML document of each piece.

interface Chunk { text: string; start: number }

/**
 * k8s.io/apimachinery's YAMLReader.Read: a line that starts with `---` ends a document, and only a
 * comment may follow the `---` (kubectl stops at any other separator; here it is a problem and the
 * reading goes on). Offsets are into `text`.
 */
export function splitYamlDocuments(text: string, from = 0): { chunks: Chunk[]; problems: Array<{ offset: number; message: string }> } {
  const chunks: Chunk[] = [];
  const problems: Array<{ offset: number; message: string }> = [];
  // The current document: from the start of its first line to the end of its last line.
  let start = -1;
  let last = 0;
  const flush = () => {
    if (start >= 0) chunks.push({ text: `${text.slice(start, last)}\n`, start });
    start = -1;
  };
  for (let pos = from; pos < text.length;) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (text.startsWith('---', pos)) {
      // bufio.Reader.ReadLine drops the line's "\n" or "\r\n".
      const rest = text.slice(pos + 3, end < text.length && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end).trim();
      if (rest.length > 0 && rest[0] !== '#') {
        problems.push({ offset: pos, message: `invalid document separator "${text.slice(pos, end).trimEnd()}": kubectl allows only a comment after ---` });
      }
      flush();
    } else {
      if (start < 0) start = pos;
      last = end;
    }
    pos = end + 1;
  }
  flush();
  return { chunks, problems };
}

/**
 * What the fast path cannot read as Kubernetes does: merge keys; `?x` and `x:,` in flow
 * collections, a tag followed by `,` and an escaped line break before an empty line (YAML 1.1 and
 * 1.2 parsers differ; the exact path refuses them); tags and an empty entry of a block sequence,
 * where js-yaml has bugs (it drops a tag before a line break, and misplaces what follows a compact
 * nested sequence `- - a` then `  -`).
 */
function exactOnly(text: string): boolean {
  return text.includes('<<')
    || (text.includes('merge') && text.includes('!'))
    || (text.includes('?') && /[[{,\s]\?[^\s]/.test(text))
    || (/:[,\]}]/.test(text) && /[^\s,[\]{}]:[,\]}]/.test(text))
    || (/-[ \t]*(?:#[^\n]*)?\n/.test(text) && /^[ \t]*(?:-[ \t]+)*-[ \t]*(?:#.*)?$/m.test(text))
    || (text.includes('!') && ANY_TAG.test(text))
    || ESCAPED_BREAK_THEN_EMPTY.test(text);
}

/** Any tag: js-yaml loses a tag whose node starts on the next line (`k: !!bool` then `  "true"`). */
const ANY_TAG = /(?:^|[\s[{,])!/m;

/** In a double-quoted scalar, an escaped line break followed by an empty line. */
const ESCAPED_BREAK_THEN_EMPTY = /\\\n[ \t]*\n/;

/** A tag directly followed by `,`, `[` or `]` (a cheap test before tagSwallowingIndicator). */
const TAG_THEN_INDICATOR = /![^\s,[\]{}]*[,[\]]/;

/**
 * go-yaml's scanner takes `,`, `[` and `]` as part of a tag (YAML 1.1 URI characters): to it,
 * `[!t, x]` is the one item `x` tagged `!t,`. Returns the offset of the first tag so followed.
 */
function tagSwallowingIndicator(text: string): number | undefined {
  let offset = 0;
  let tagEnd = -1;
  for (const token of new Lexer().lex(text)) {
    const control = token === '' || token === '\x02' || token === '\x18' || token === '\x1f';
    if (tagEnd >= 0 && !control) {
      if (token[0] === ',' || token[0] === '[' || token[0] === ']') return tagEnd;
      tagEnd = -1;
    }
    if (token[0] === '!') tagEnd = offset + token.length;
    if (!control) offset += token.length;
  }
  return undefined;
}

/** A document with a top-level `items:` key: probably a List. */
const LIST_ITEMS = /^["']?items["']?[ \t]*:/m;
const BLANK_CHUNK = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*$/;
const FIRST_CONTENT = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*/;
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/;

function parseYamlChunk(raw: string, firstLine: number): { document?: StreamDocument; problems: StreamProblem[] } {
  if (BLANK_CHUNK.test(raw)) return { problems: [] };
  // go-yaml, like YAML, also ends lines at a lone "\r" (kubectl's splitting does not).
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  const lines = new LineIndex(text, firstLine);
  const skipped = FIRST_CONTENT.exec(text)![0];
  const contentAt = skipped.length;
  const docLine = firstLine + (skipped.match(/\n/g)?.length ?? 0);
  if (text[contentAt] === '%') {
    return { problems: [{ line: docLine, message: 'a %directive must be followed by a --- line, and kubectl splits documents at --- lines: Kubernetes cannot read this document' }] };
  }
  const separator = LINE_SEPARATORS.exec(text);
  if (separator) {
    return { problems: [{ line: lines.lineAt(separator.index), message: `contains U+${separator[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which Kubernetes' YAML 1.1 parser reads as a line break and other YAML parsers do not: replace it` }] };
  }
  if (!exactOnly(text)) {
    // A List's items get their own lines: record where mappings start while parsing.
    const offsets = LIST_ITEMS.test(text) ? new Map<object, number>() : undefined;
    const value = loadFast(text, offsets);
    if (value !== FALLBACK) {
      const lineOf = (o: object) => {
        const at = offsets ? offsets.get(o) : undefined;
        return at !== undefined ? contentLine(text, lines, at) : fastLineOf(text, lines, value, o);
      };
      return { document: { value, line: docLine, lineOf, template: text.includes('{{') }, problems: [] };
    }
  }
  return parseExact(text, lines, docLine, text[contentAt] === ' ' || text[contentAt] === '\t');
}

// ---------------------------------------------------------------------------------------------
// Fast path: js-yaml with a schema that resolves scalars as go-yaml v2 does.

const FALLBACK = Symbol('fallback');

function taggedType(tag: string): jsyaml.Type {
  return new jsyaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: string | null) => {
      try { resolveTagged(tag, data ?? ''); return true; } catch { return false; }
    },
    construct: (data: string | null) => resolveTagged(tag, data ?? '').value,
  });
}

/** Every other tag: go-yaml keeps a scalar's text and decodes collections as if untagged. */
const anyTag = (kind: 'scalar' | 'sequence' | 'mapping') => new jsyaml.Type('', {
  kind, multi: true, construct: (data: unknown) => (kind === 'scalar' ? (data ?? '') : data),
});

const GO_YAML_SCHEMA = new jsyaml.Schema({
  implicit: [new jsyaml.Type('tag:bulwark.dev,2026:plain', { kind: 'scalar', resolve: () => true, construct: resolvePlain })],
  explicit: [
    ...[STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG, BINARY_TAG].map(taggedType),
    anyTag('scalar'), anyTag('sequence'), anyTag('mapping'),
  ],
});

/** Parses with js-yaml; with `offsets`, also records where each mapping starts (for a List's items). */
function loadFast(text: string, offsets?: Map<object, number>): unknown {
  let value: unknown;
  try {
    value = jsyaml.load(text, { schema: GO_YAML_SCHEMA, ...(offsets ? { listener: offsetListener(offsets) } : {}) });
  } catch {
    return FALLBACK; // the exact path explains the error
  }
  return needsExactPath(value, text.includes('*')) ? FALLBACK : value;
}

function offsetListener(offsets: Map<object, number>): (event: jsyaml.EventType, state: jsyaml.State) => void {
  const starts: number[] = [];
  return (event, state) => {
    if (event === 'open') starts.push(state.position);
    else {
      const start = starts.pop() as number;
      if (state.kind === 'mapping' && state.result !== null && !offsets.has(state.result)) offsets.set(state.result, start);
    }
  };
}

/** The first line with content at or after `offset` (a node's open event may come before its line break). */
function contentLine(text: string, lines: LineIndex, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '-' && /\s/.test(text[i + 1] ?? ''))) i++;
    if (text[i] !== '#') break;
    while (i < text.length && text[i] !== '\n') i++;
  }
  return lines.lineAt(Math.min(i, text.length - 1));
}

/**
 * js-yaml turns every key into a string with String(): right for strings, booleans and small
 * integers, but not for what sigs.k8s.io/yaml refuses or spells otherwise (null, floats, big
 * integers, collections). Any key that could be one of those, any value JSON cannot hold, and
 * heavy aliasing send the document to the exact path.
 */
function needsExactPath(root: unknown, aliases: boolean): boolean {
  // With aliases, js-yaml shares objects, and an anchor used inside itself makes a cycle.
  const done = aliases ? new Set<object>() : undefined;
  const open = aliases ? new Set<object>() : undefined;
  const visit = (v: unknown): boolean => {
    if (typeof v === 'number') return !Number.isFinite(v);
    if (v === null || typeof v !== 'object') return false;
    if (open && done) {
      if (open.has(v)) return true;
      if (done.has(v)) return false;
      open.add(v);
    }
    let found = false;
    if (Array.isArray(v)) {
      for (const x of v) if (visit(x)) { found = true; break; }
    } else {
      for (const k in v) if (suspiciousKey(k) || visit((v as Record<string, unknown>)[k])) { found = true; break; }
    }
    open?.delete(v);
    done?.add(v);
    return found;
  };
  return visit(root) || (aliases && aliasProblem(root) !== undefined);
}

function suspiciousKey(k: string): boolean {
  if (k.length === 0) return true;
  const c = k.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || k === 'null' || k === 'NaN' || k === 'Infinity' || k.includes(',') || k === '[object Object]';
}

/** Lines of objects in a fast-path document that was parsed without offsets: parsed again, only when asked. */
function fastLineOf(text: string, lines: LineIndex, root: unknown, object: object): number | undefined {
  let cache = FAST_LINES.get(root as object);
  if (!cache) {
    const found = new Map<object, number>();
    let copy: unknown;
    try {
      copy = jsyaml.load(text, { schema: GO_YAML_SCHEMA, listener: offsetListener(found) });
    } catch {
      return undefined;
    }
    // The second parse built new objects: pair them with the first parse's by walking both.
    const byOriginal = new Map<object, number>();
    const pair = (a: unknown, b: unknown) => {
      if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object' || byOriginal.has(a)) return;
      const at = found.get(b);
      if (at !== undefined) byOriginal.set(a, contentLine(text, lines, at));
      if (Array.isArray(a) && Array.isArray(b)) a.forEach((x, i) => pair(x, b[i]));
      else if (!Array.isArray(a) && !Array.isArray(b)) for (const k of Object.keys(a)) pair((a as any)[k], (b as any)[k]);
    };
    pair(root, copy);
    cache = byOriginal;
    FAST_LINES.set(root as object, cache);
  }
  return cache.get(object);
}
const FAST_LINES = new WeakMap<object, Map<object, number>>();

// ---------------------------------------------------------------------------------------------
// Exact path: the `yaml` package's AST (failsafe: no resolution of its own), converted here.

class ConvertError extends Error {
  constructor(message: string, readonly offset?: number) { super(message); }
}

function parseExact(text: string, lines: LineIndex, docLine: number, indented = false): { document?: StreamDocument; problems: StreamProblem[] } {
  const problems: StreamProblem[] = [];
  const swallowed = TAG_THEN_INDICATOR.test(text) ? tagSwallowingIndicator(text) : undefined;
  if (swallowed !== undefined) {
    return { problems: [{ line: lines.lineAt(swallowed), message: `a tag directly followed by "${text[swallowed]}": Kubernetes' YAML 1.1 parser reads it as part of the tag, other parsers do not; put a space after the tag` }] };
  }
  const docs = parseAllDocuments(text, { schema: 'failsafe', merge: false, uniqueKeys: false, version: '1.2', prettyErrors: true });
  if (!Array.isArray(docs) || docs.length === 0) return { problems };
  const [doc, ...rest] = docs;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (indented && / at node end$/.test(message)) {
      // go-yaml reads the indented first node and silently ignores everything after it.
      return { problems: [{ line: lines.lineAt(e.pos[0]), message: `the document starts indented and this line is not: Kubernetes reads only the lines before it and ignores the rest without a word; unindent the document` }] };
    }
    return { problems: [{ line: lines.lineAt(e.pos[0]), message: `invalid YAML: ${message}` }] };
  }
  const ignored = rest.find((d) => d.contents !== null || d.errors.length > 0);
  if (ignored) {
    problems.push({
      line: lines.lineAt(ignored.range[0]),
      message: 'a second YAML document without a --- line before it: kubectl reads only the first one and ignores this one',
    });
  }
  const converter = new Converter(text, lines);
  try {
    const value = converter.convert(doc.contents as Node | null);
    // Like go-yaml, a value JSON cannot hold is only an error if it is still there at the end
    // (a merge or a later key may have replaced it).
    const unencodable = nonFinitePath(value);
    if (unencodable) return { problems: [...problems, { line: docLine, message: unencodable }] };
    const ratio = text.includes('*') ? aliasProblem(value) : undefined;
    if (ratio) return { problems: [...problems, { line: docLine, message: ratio }] };
    const offsets = converter.offsets;
    return { document: { value, line: docLine, lineOf: (o) => (offsets.has(o) ? lines.lineAt(offsets.get(o) as number) : undefined), template: text.includes('{{') }, problems };
  } catch (e) {
    if (e instanceof ConvertError) return { problems: [...problems, { line: e.offset === undefined ? docLine : lines.lineAt(e.offset), message: e.message }] };
    if (e instanceof RangeError) return { problems: [...problems, { line: docLine, message: 'the document is nested too deeply to read' }] };
    throw e;
  }
}

/** go-yaml's isMerge: a plain `<<` (or one tagged !!merge or with the non-specific tag `!`). */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || key.source !== '<<') return false;
  return key.tag === undefined ? key.type === 'PLAIN' : key.tag === MERGE_TAG || key.tag === '!';
}

class Converter {
  constructor(private readonly text: string, private readonly lines: LineIndex) {}
  readonly offsets = new WeakMap<object, number>();
  private readonly anchors = new Map<string, Node>();
  private readonly values = new Map<Node, unknown>();
  private readonly active = new Set<Node>();
  /** For converted mappings with keys that were not strings in YAML: the key's YAML identity. */
  private readonly keyIdentities = new WeakMap<object, Map<string, string>>();

  /** `inFlow`: the node is inside a flow collection (`{...}`, `[...]`), where YAML 1.1 differs. */
  convert(node: Node | null, inFlow = false): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.valueOf(this.target(node.source, node.range?.[0]), inFlow, node.range?.[0]);
    if (node.anchor) this.anchors.set(node.anchor, node);
    return this.valueOf(node, inFlow, node.range?.[0]);
  }

  private target(name: string, offset?: number): Node {
    const node = this.anchors.get(name);
    if (!node) throw new ConvertError(`unknown anchor "${name}" referenced`, offset);
    return node;
  }

  private valueOf(node: Node, inFlow: boolean, offset?: number): unknown {
    if (this.values.has(node)) return this.values.get(node);
    if (this.active.has(node)) throw new ConvertError(`anchor "${node.anchor}" value contains itself`, offset);
    this.active.add(node);
    const value = this.build(node, inFlow);
    this.active.delete(node);
    this.values.set(node, value);
    if (value !== null && typeof value === 'object' && node.range) this.offsets.set(value, node.range[0]);
    return value;
  }

  private build(node: Node, inFlow: boolean): unknown {
    if (isScalar(node)) return this.scalar(node, inFlow).value;
    const flow = inFlow || (node as { flow?: boolean }).flow === true;
    if (isSeq(node)) {
      return node.items.map((item) => (isPair(item) ? this.mapping([item], flow, (item.key as Node | null)?.range?.[0]) : this.convert(item as Node | null, flow)));
    }
    if (isMap(node)) return this.mapping((node as YAMLMap).items, flow, node.range?.[0]);
    throw new ConvertError('unsupported YAML node', node.range?.[0]);
  }

  private scalar(node: Scalar, inFlow: boolean): Resolved {
    const source = node.source ?? (node.value === null || node.value === undefined ? '' : String(node.value));
    if (node.type === 'QUOTE_DOUBLE' && node.range && escapedBreakThenEmpty(this.text.slice(node.range[0], node.range[1]))) {
      // YAML keeps a line feed for each empty line after an escaped line break; go-yaml does, js-yaml and yaml drop it.
      throw new ConvertError('a double-quoted string with an escaped line break (\\ at the end of a line) followed by an empty line: YAML parsers disagree on it; rewrite the string', node.range[0]);
    }
    if (inFlow && node.type === 'PLAIN' && source.length > 1 && source[0] === '?') {
      // go-yaml's scanner takes `?` as the key indicator anywhere in a flow collection.
      throw new ConvertError(`"${source}" in a flow collection: Kubernetes' YAML 1.1 parser reads the ? as a key indicator, other parsers as text; write "? ${source.slice(1)}" or quote it`, node.range?.[0]);
    }
    try {
      return node.tag === undefined ? (node.type === 'PLAIN' ? resolveScalar(source) : { kind: 'str', value: source }) : resolveTagged(node.tag, source);
    } catch (e) {
      if (e instanceof ScalarError) throw new ConvertError(e.message, node.range?.[0]);
      throw e;
    }
  }

  /** go-yaml's decoder.mapping: pairs in order, a merge writing over what is there. */
  private mapping(pairs: ReadonlyArray<{ key: unknown; value: unknown }>, inFlow: boolean, offset?: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const identity = new Map<string, string>();
    const explicit = new Map<string, number | undefined>();
    const set = (key: string, id: string, value: unknown, at: number | undefined) => {
      const had = identity.get(key);
      if (had !== undefined && had !== id) {
        throw new ConvertError(`the keys ${describeIdentity(had)} and ${describeIdentity(id)} both become "${key}" in JSON, and Kubernetes keeps one of them at random`, at);
      }
      identity.set(key, id);
      setOwn(out, key, value);
    };
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const at = keyNode?.range?.[0] ?? offset;
      if (isMergeKey(keyNode)) {
        for (const source of this.mergeSources(pair.value as Node | null, inFlow, at)) {
          const ids = this.keyIdentities.get(source);
          for (const k of Object.keys(source)) set(k, ids?.get(k) ?? `s:${k}`, source[k], at);
        }
        continue;
      }
      const { key, id } = this.key(keyNode, inFlow, at);
      if (explicit.has(key)) {
        const first = explicit.get(key);
        throw new ConvertError(`duplicate key "${key}"${first === undefined ? '' : ` (first at line ${this.lines.lineAt(first)})`}: Kubernetes would keep one of them silently`, at);
      }
      explicit.set(key, at);
      set(key, id, this.convert(pair.value as Node | null, inFlow), at);
    }
    if ([...identity.values()].some((id) => !id.startsWith('s:'))) this.keyIdentities.set(out, identity);
    return out;
  }

  /** go-yaml's decoder.merge: a mapping, an alias of one, or a list of those (earlier ones win). */
  private mergeSources(node: Node | null, inFlow: boolean, at: number | undefined): Array<Record<string, unknown>> {
    const want = 'map merge requires map or sequence of maps as the value';
    const one = (n: unknown): Record<string, unknown> => {
      const target = isAlias(n) ? this.target(n.source, n.range?.[0]) : n;
      if (!isMap(target)) throw new ConvertError(want, (n as Node | null)?.range?.[0] ?? at);
      return this.convert(n as Node, inFlow) as Record<string, unknown>;
    };
    if (isSeq(node)) return node.items.map((item) => one(item)).reverse();
    return [one(node)];
  }

  private key(node: Node | null, inFlow: boolean, at: number | undefined): { key: string; id: string } {
    const target = isAlias(node) ? this.target(node.source, node.range?.[0]) : node;
    if (target === null || target === undefined) throw new ConvertError('a null mapping key cannot become JSON: Kubernetes refuses it (unsupported map key)', at);
    if (!isScalar(target)) throw new ConvertError('a mapping or sequence used as a mapping key: Kubernetes refuses it (invalid map key)', at);
    if (target.anchor && !isAlias(node)) this.anchors.set(target.anchor, target);
    const end = target.range?.[1];
    if (inFlow && !isAlias(node) && target.type === 'PLAIN' && end !== undefined && this.text[end] === ':' && /^[,\]}]$/.test(this.text[end + 1] ?? '')) {
      // go-yaml's scanner ends a plain scalar at ": " only, so `{a:,}` has the key "a:".
      throw new ConvertError(`"${target.source}:" right before "${this.text[end + 1]}" in a flow collection: Kubernetes' YAML 1.1 parser reads the key "${target.source}:", other parsers "${target.source}"; add a space after the colon or quote the key`, at);
    }
    const r = this.scalar(target, inFlow);
    try {
      const key = jsonKey(r);
      return { key, id: `${r.kind[0]}:${r.kind === 'str' ? key : String(r.int ?? r.value)}` };
    } catch (e) {
      if (e instanceof ScalarError) throw new ConvertError(e.message, at);
      throw e;
    }
  }
}

/** Where the document holds a NaN or an infinity, which encoding/json refuses to write. */
function nonFinitePath(root: unknown): string | undefined {
  const done = new Set<object>();
  const visit = (v: unknown, path: string): string | undefined => {
    if (typeof v === 'number') {
      return Number.isFinite(v) ? undefined : `the value ${Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf'} at ${path || 'the top'} is not a JSON number: Kubernetes cannot read the document`;
    }
    if (v === null || typeof v !== 'object' || done.has(v)) return undefined;
    done.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) { const found = visit(v[i], `${path}[${i}]`); if (found) return found; }
      return undefined;
    }
    for (const k of Object.keys(v)) {
      const found = visit((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root, '');
}

function escapedBreakThenEmpty(quoted: string): boolean {
  for (let m = ESCAPED_BREAK_THEN_EMPTY.exec(quoted), from = 0; m; m = ESCAPED_BREAK_THEN_EMPTY.exec(quoted.slice(from))) {
    const at = from + m.index;
    let slashes = 0;
    for (let i = at; i >= 0 && quoted[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 1) return true;
    from = at + 1;
  }
  return false;
}

function describeIdentity(id: string): string {
  const kind = { s: 'string', b: 'boolean', i: 'integer', f: 'float' }[id[0]] ?? 'value';
  return `${kind} ${id.slice(2)}`;
}

function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/**
 * go-yaml refuses "excessive aliasing" (a billion-laughs document) by the share of decoded nodes
 * that came through aliases; this applies its rule to the whole document.
 */
function aliasProblem(root: unknown): string | undefined {
  const sizes = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    sizes.set(v, 1);
    let n = 1;
    if (Array.isArray(v)) for (const x of v) n += size(x);
    else for (const k of Object.keys(v)) n += 1 + size((v as Record<string, unknown>)[k]);
    sizes.set(v, n);
    return n;
  };
  let decoded = 0;
  let aliased = 0;
  const visited = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') { decoded += 1; return; }
    if (visited.has(v)) {
      const n = size(v);
      decoded += n;
      aliased += n;
      return;
    }
    visited.add(v);
    decoded += 1;
    if (Array.isArray(v)) for (const x of v) walk(x);
    else for (const k of Object.keys(v)) { decoded += 1; walk((v as Record<string, unknown>)[k]); }
  };
  walk(root);
  const allowed = decoded <= 400000 ? 0.99 : decoded >= 4000000 ? 0.1 : 0.99 - 0.89 * ((decoded - 400000) / 3600000);
  if (aliased > 100 && decoded > 1000 && aliased / decoded > allowed) {
    return 'the document contains excessive aliasing: Kubernetes refuses it';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON, as encoding/json's Decoder reads a stream of values (and as strict as JSON is), with
// duplicate keys an error.

/** Go's unicode.IsSpace, then `{`: kubectl's test for a JSON stream. */
const JSON_PREFIX = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\{/;

interface JsonValue {
  value: unknown;
  offset: number;
  end: number;
  offsets: Map<object, number>;
  problem?: { offset: number; message: string };
}

function parseJsonStream(text: string): { values: JsonValue[]; error?: { offset: number; message: string } } {
  const values: JsonValue[] = [];
  const p = new JsonParser(text);
  for (;;) {
    p.skipSpace();
    if (p.pos >= text.length) return { values };
    const offset = p.pos;
    p.offsets = new Map();
    p.duplicate = undefined;
    try {
      const value = p.value();
      values.push({ value, offset, end: p.pos, offsets: p.offsets, ...(p.duplicate ? { problem: p.duplicate } : {}) });
    } catch (e) {
      if (e instanceof ConvertError) return { values, error: { offset: e.offset ?? p.pos, message: e.message } };
      throw e;
    }
  }
}

class JsonParser {
  pos = 0;
  offsets = new Map<object, number>();
  /** The first problem in the current value that is not a syntax error (a duplicate key, a number out of range). */
  duplicate?: { offset: number; message: string };
  private depth = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  private fail(message: string): never {
    throw new ConvertError(message, this.pos);
  }

  value(): unknown {
    this.skipSpace();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (t.startsWith(word, this.pos)) { this.pos += word.length; return v; }
    }
    return this.fail(this.pos >= t.length ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(t[this.pos])} looking for beginning of value`);
  }

  private nest(): void {
    if (++this.depth > 10000) this.fail('exceeded max depth');
  }

  private object(): Record<string, unknown> {
    const start = this.pos;
    this.nest();
    this.pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.offsets.set(out, start);
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) { this.pos++; this.depth--; return out; }
    for (;;) {
      this.skipSpace();
      const keyAt = this.pos;
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('invalid character looking for beginning of object key string');
      const key = this.string();
      if (seen.has(key) && !this.duplicate) this.duplicate = { offset: keyAt, message: `duplicate key "${key}"` };
      seen.add(key);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('invalid character after object key');
      this.pos++;
      setOwn(out, key, this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x7d) { this.depth--; return out; }
      this.pos--;
      this.fail('invalid character after object key:value pair');
    }
  }

  private array(): unknown[] {
    const start = this.pos;
    this.nest();
    this.pos++;
    const out: unknown[] = [];
    this.offsets.set(out, start);
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) { this.pos++; this.depth--; return out; }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) { this.depth--; return out; }
      this.pos--;
      this.fail('invalid character after array element');
    }
  }

  private string(): string {
    const t = this.text;
    const start = ++this.pos;
    let out = '';
    let chunkStart = start;
    for (;;) {
      if (this.pos >= t.length) this.fail('unexpected end of JSON input');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('invalid character in string literal');
      if (c === 0x5c) {
        out += t.slice(chunkStart, this.pos);
        const e = t[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) { out += simple[e]; this.pos += 2; } else if (e === 'u') {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid character in \\u hexadecimal character escape');
          const unit = parseInt(hex, 16);
          this.pos += 6;
          if (unit >= 0xd800 && unit < 0xdc00 && t[this.pos] === '\\' && t[this.pos + 1] === 'u' && /^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
            out += String.fromCharCode(unit, parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
            this.pos += 6;
          } else {
            // encoding/json turns a lone surrogate into U+FFFD.
            out += unit >= 0xd800 && unit < 0xe000 ? '\ufffd' : String.fromCharCode(unit);
          }
        } else {
          this.fail('invalid character in string escape code');
        }
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private number(): number {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found || found[0] === '-') this.fail('invalid character in numeric literal');
    this.pos += found![0].length;
    const n = Number(found![0]);
    if (!Number.isFinite(n) && !this.duplicate) this.duplicate = { offset: this.pos - found![0].length, message: `the number ${found![0]} is out of range` };
    return n;
  }
}

/** After a JSON value: kubectl's consumeWhitespace eats spaces up to and including the first newline. */
function afterWhitespaceLine(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) {
    i++;
    if (text[i - 1] === '\n') break;
  }
  return i;
}

function lineFromOffsets(offsets: Map<object, number>, lines: LineIndex): (o: object) => number | undefined {
  return (o) => (offsets.has(o) ? lines.lineAt(offsets.get(o) as number) : undefined);
}

/** Offsets to 1-based line numbers, built on first use. */
class LineIndex {
  private starts?: number[];
  constructor(private readonly text: string, private readonly first: number) {}

  lineAt(offset: number): number {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return this.first + lo;
  }
}
