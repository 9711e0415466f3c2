/**
 * Where a finding is in its file: the line of the field a finding's JSON path names, found through
 * the YAML parser's node ranges. A finding's path ("spec.template.spec.containers[0].securityContext
 * .privileged", `metadata.labels["pod-security.kubernetes.io/enforce"]`) is walked from the object's
 * node as far as the file spells it out; the line of the deepest key or item reached is the answer.
 * When a field is missing (a finding about something unset), that is the line of its nearest
 * parent, which is where it should be added.
 *
 * The objects themselves were read by kube-yaml.ts exactly as kubectl reads them; this module only
 * points at text and never decides what a value is, so a file the `yaml` package splits or reads
 * differently (rare: it follows YAML 1.2) gives no field line, never a wrong object.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, YAMLMap } from 'yaml';

/** One step of a finding's path: a key or a list index. */
export type PathSegment = string | number;

/**
 * Splits a finding's path into keys and indexes: `a.b[0]["x.y/z"].c` is ['a', 'b', 0, 'x.y/z', 'c'].
 * Returns undefined for text that is not such a path.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') {
      if (i === 0 || i === path.length - 1) return undefined;
      i++;
      continue;
    }
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) {
        out.push(Number(inner));
        i = close + 1;
        continue;
      }
      // A quoted key: JSON string syntax, which may itself hold "]".
      const m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path.slice(i));
      if (!m) return undefined;
      try {
        out.push(JSON.parse(`"${m[1]}"`));
      } catch {
        return undefined;
      }
      i += m[0].length;
      continue;
    }
    const m = /^[^.[]+/.exec(path.slice(i))!;
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

/** Finds field lines in one file's text; parses the text once, on first use. */
export class FieldLocator {
  private parsed?: { roots: Node[]; lines: LineCounter; docs: ReturnType<typeof parseAllDocuments> } | null;

  constructor(private readonly text: string) {}

  /**
   * The 1-based line of `path` inside the object whose node starts at `objectLine` (the line
   * readManifests gave the object), or undefined when the file does not say.
   */
  lineOf(objectLine: number, path: string): number | undefined {
    const segments = parseFieldPath(path);
    const parsed = this.parse();
    if (!segments || !parsed) return undefined;
    const root = this.objectAt(objectLine);
    if (!root) return undefined;
    let node: Node | undefined = root;
    let line: number | undefined;
    for (const segment of segments) {
      node = this.resolve(node);
      const next: { node: Node | undefined; line: number } | undefined = this.child(node, segment);
      if (!next) break;
      line = next.line;
      node = next.node;
      if (!node) break;
    }
    return line ?? this.lineAt(root);
  }

  private parse() {
    if (this.parsed !== undefined) return this.parsed ?? undefined;
    try {
      const lines = new LineCounter();
      const docs = parseAllDocuments(this.text, { lineCounter: lines, uniqueKeys: false, merge: false, strict: false });
      const list = Array.isArray(docs) ? docs : [docs];
      const roots = list.map((d) => d.contents as Node | null).filter((n): n is Node => n !== null && n !== undefined);
      this.parsed = { roots, lines, docs: docs as ReturnType<typeof parseAllDocuments> };
    } catch {
      this.parsed = null;
    }
    return this.parsed ?? undefined;
  }

  private lineAt(node: Node): number | undefined {
    const range = node.range;
    return range ? this.parsed!.lines.linePos(range[0]).line : undefined;
  }

  /** The outermost mapping that starts at `line`: a document's object, or a List item's. */
  private objectAt(line: number): Node | undefined {
    const visit = (node: Node | null | undefined, depth: number): Node | undefined => {
      if (!node || depth > 64) return undefined;
      const at = this.lineAt(node);
      if (at !== undefined && at > line && !isAlias(node)) {
        // Nodes start in order: nothing inside begins before its parent.
        return undefined;
      }
      if (isMap(node) && at === line) return node;
      if (isMap(node)) {
        for (const pair of node.items) {
          const found = visit(pair.value as Node | null, depth + 1);
          if (found) return found;
        }
      } else if (isSeq(node)) {
        for (const item of node.items) {
          const found = visit(item as Node | null, depth + 1);
          if (found) return found;
        }
      }
      return undefined;
    };
    for (const root of this.parsed!.roots) {
      const found = visit(root, 0);
      if (found) return found;
    }
    return undefined;
  }

  private resolve(node: Node | undefined): Node | undefined {
    let n = node;
    for (let i = 0; i < 8 && n && isAlias(n); i++) {
      const doc = this.parsed!.docs.find((d) => d.contents && d.range && n!.range && d.range[0] <= n!.range[0] && n!.range[0] <= d.range[2]);
      n = doc ? (n.resolve(doc) as Node | undefined) : undefined;
    }
    return n;
  }

  private child(node: Node | undefined, segment: PathSegment): { node: Node | undefined; line: number } | undefined {
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      const line = item ? this.lineAt(item) : undefined;
      return item && line !== undefined ? { node: item, line } : undefined;
    }
    if (isMap(node)) {
      const pair = findPair(node, String(segment));
      if (!pair) return undefined;
      const line = pair.key && typeof pair.key === 'object' ? this.lineAt(pair.key as Node) : undefined;
      return line === undefined ? undefined : { node: (pair.value ?? undefined) as Node | undefined, line };
    }
    return undefined;
  }
}

/** The last pair whose key reads as `key` (kube-yaml refuses duplicates, so there is at most one). */
function findPair(map: YAMLMap, key: string) {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const k = map.items[i].key;
    if (isScalar(k) && String(k.value) === key) return map.items[i];
  }
  return undefined;
}
