/**
 * `bulwark check` must read a manifest exactly as Kubernetes does (kubectl's decoder: go-yaml v2,
 * YAML 1.1 scalars, merge keys, documents split at `---` lines, Lists flattened). Every test here
 * fails if a way to be clean to Bulwark and privileged to the API server reopens.
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../cli/bulwark';
import { evaluate, unwaived } from '../policy';
import { parseKubernetesStream } from '../policy/kube-yaml';
import { parseManifests, readManifests } from '../policy/manifests';
import { toObjects } from '../policy/testing';
import { NOW } from './helpers';

/** A Pod whose container's securityContext is `securityContext` (YAML text at 6 spaces), name `name`. */
function pod(securityContext: string, name = 'p'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/a@sha256:${'ab'.repeat(32)}\n    securityContext:\n${securityContext}`;
}

function read(text: string) {
  return parseManifests(text, 'm.yaml');
}

function only(text: string): Record<string, any> {
  const { objects, problems } = read(text);
  expect(problems).toEqual([]);
  expect(objects).toHaveLength(1);
  return objects[0].object;
}

/** The document's single value, read as kubectl reads it; fails on any problem. */
function value(text: string): any {
  const { documents, problems } = parseKubernetesStream(text);
  expect(problems).toEqual([]);
  expect(documents).toHaveLength(1);
  return documents[0].value;
}

function ruleIds(text: string): string[] {
  const { objects, problems } = read(text);
  expect(problems).toEqual([]);
  return unwaived(evaluate(objects.map((o) => o.object), { packs: ['pss-baseline'], now: NOW })).map((f) => f.ruleId);
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-manifests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('YAML 1.1 scalars, as go-yaml v2 resolves them', () => {
  test('privileged: yes is a privileged container', () => {
    expect(ruleIds(pod('      privileged: yes\n'))).toContain('pod-security/privileged');
    expect(only(pod('      privileged: yes\n')).spec.containers[0].securityContext.privileged).toBe(true);
  });

  test.each([
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true]),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false]),
    // Only the spellings of go-yaml's resolve table: other cases stay strings.
    ...['yEs', 'oN', 'tRUE', 'nO', 'oFF', 'fALSE', '"yes"', "'on'"].map((s) => [s, s.replace(/["']/g, '')]),
  ])('%s is %j', (text, expected) => {
    expect(value(`v: ${text}\n`).v).toBe(expected);
  });

  test.each([
    ['0644', 420], ['0o17', 15], ['0x1F', 31], ['0b101', 5], ['-0b11', -3], ['1_000', 1000], ['08', 8], ['+12', 12],
    ['.5', 0.5], ['1e3', 1000], ['-0', 0], ['0x_1F', 31],
    ['~', null], ['null', null], ['', null],
    // Timestamps, sexagesimal numbers and out-of-range floats stay text.
    ['2026-11-22', '2026-11-22'], ['12:30', '12:30'], ['190:20:30', '190:20:30'], ['1e999', '1e999'], ['0b', '0b'],
  ])('%s is %j', (text, expected) => {
    expect(value(`v: ${text}\n`).v).toBe(expected);
  });

  test('a tag before a line break applies to the node on the next line (js-yaml drops it)', () => {
    expect(only(pod('      privileged: !!bool\n        "true"\n')).spec.containers[0].securityContext.privileged).toBe(true);
    expect(value('a: !!str\n  0644\nb: !!str &x\n  yes\nc: *x\n')).toEqual({ a: '0644', b: 'yes', c: 'yes' });
  });

  test('an empty entry after a compact nested sequence ends it (js-yaml misplaces what follows)', () => {
    expect(value('l:\n- - c\n  -\n- k: v\n')).toEqual({ l: [['c', null], { k: 'v' }] });
  });

  test('runAsUser: 00 is root, and a YAML 1.1 boolean key is "true"', () => {
    expect(only(pod('      runAsUser: 00\n')).spec.containers[0].securityContext.runAsUser).toBe(0);
    expect(value('on: 1\n')).toEqual({ true: 1 });
  });

  test('explicit tags decode as go-yaml decodes them', () => {
    expect(value('a: !!int "0644"\nb: !!str yes\nc: !!bool "on"\nd: !custom yes\ne: !!binary aGk=\n')).toEqual({ a: 420, b: 'yes', c: true, d: 'yes', e: 'hi' });
    expect(read('a: !!int yes\n').problems[0].message).toContain('cannot decode !!bool `yes` as a !!int');
  });

  test('a value JSON cannot hold is a problem, unless a later key replaced it', () => {
    expect(read('a: .nan\n').problems[0].message).toContain('.nan at a is not a JSON number');
    expect(value('a: {x: .inf}\n<<: {a: 1}\n')).toEqual({ a: 1 });
  });
});

describe('merge keys, in go-yaml order', () => {
  /** The Pod with a first container "init" whose securityContext is anchored as &priv. */
  const withAnchor = (securityContext: string) => pod(securityContext)
    .replace('  containers:\n', '  initContainers:\n  - name: init\n    image: i\n    securityContext: &priv {privileged: true}\n  containers:\n');
  const privilegedContainers = (text: string) => {
    const { objects, problems } = read(text);
    expect(problems).toEqual([]);
    return unwaived(evaluate(objects.map((o) => o.object), { packs: ['pss-baseline'], now: NOW }))
      .filter((f) => f.ruleId === 'pod-security/privileged').map((f) => f.container);
  };

  test('a <<: *priv merge makes the container privileged', () => {
    expect(privilegedContainers(withAnchor('      <<: *priv\n'))).toEqual(['init', 'c']);
    expect(privilegedContainers(withAnchor('      privileged: false\n'))).toEqual(['init']);
  });

  test('a merge overwrites the keys before it, the keys after it override the merge', () => {
    // go-yaml v2 applies a mapping's entries in order: after this merge the container is privileged.
    expect(privilegedContainers(withAnchor('      privileged: false\n      <<: *priv\n'))).toEqual(['init', 'c']);
    expect(privilegedContainers(withAnchor('      <<: *priv\n      privileged: false\n'))).toEqual(['init']);
    expect(value('a: &a {p: 1, q: 1}\nb:\n  <<: *a\n  q: 2\n').b).toEqual({ p: 1, q: 2 });
  });

  test('in a list of aliases the earlier maps win', () => {
    expect(value('a: &a {privileged: true}\nb: &b {privileged: false, x: 1}\nc:\n  <<: [*a, *b]\n').c).toEqual({ privileged: true, x: 1 });
  });

  test('only a plain << merges; a quoted "<<" is an ordinary key', () => {
    expect(value('a: &a {x: 1}\nb: {"<<": *a}\n').b).toEqual({ '<<': { x: 1 } });
    expect(read('a: 1\nb: {<<: [x]}\n').problems[0].message).toContain('map merge requires map or sequence of maps');
  });
});

describe('anything Kubernetes would resolve silently is an error', () => {
  test('duplicate securityContext keys name the file and both lines', () => {
    const text = pod('      privileged: false\n    securityContext:\n      privileged: true\n');
    const { objects, problems } = read(text);
    expect(objects).toEqual([]);
    expect(problems).toEqual([{ file: 'm.yaml', line: 11, message: expect.stringContaining('duplicate key "securityContext" (first at line 9)') }]);
    const cli = run(['check', tempDir({ 'dup.yaml': text })], NOW);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/dup\.yaml:11: duplicate key "securityContext"/);
  });

  test.each([
    ['yes: 1\non: 2\n', 'duplicate key "true"'],
    ['1: a\n"1": b\n', 'duplicate key "1"'],
    ['0x10: a\n16: b\n', 'duplicate key "16"'],
    ['a: &a {"1": x}\nm:\n  1: y\n  <<: *a\n', 'keys integer 1 and string 1 both become "1"'],
    ['~: a\n', 'null mapping key'],
    ['[a, b]: c\n', 'invalid map key'],
    ['{"a": 1, "a": 2}', 'duplicate key "a"'],
  ])('%j', (text, message) => {
    expect(read(text).problems.map((p) => p.message).join('\n')).toContain(message);
  });

  test('YAML 1.1 flow syntax that other parsers read differently is refused', () => {
    // go-yaml reads `?` as a key indicator here: the container is privileged to Kubernetes.
    expect(read(pod('      {?privileged: true}\n').replace('securityContext:\n      ', 'securityContext: ')).problems[0].message)
      .toContain('reads the ? as a key indicator');
    expect(read('a: {b:, c}\n').problems[0].message).toContain('reads the key "b:"');
    // U+2028 ends a line (and a comment) for go-yaml only.
    expect(read('a: 1 # note\u2028privileged: true\n').problems[0].message).toContain('U+2028');
  });

  test('a tag followed by "," and an escaped line break before an empty line are refused', () => {
    // go-yaml reads `[!t, x]` as the one item x, tagged "!t,"; others read two items.
    expect(read('a: [!t, x]\n').problems[0].message).toContain('a tag directly followed by ","');
    // go-yaml keeps a line feed for the empty line; js-yaml and yaml drop it.
    expect(read('a: "x\\\n\n  y"\n').problems[0].message).toContain('escaped line break');
    expect(value('a: "x\\\n  y"\n')).toEqual({ a: 'xy' });
  });

  test('anchors and aliases work; an anchor inside itself is an error', () => {
    expect(value('a: &x {p: [1, 2]}\nb: *x\n')).toEqual({ a: { p: [1, 2] }, b: { p: [1, 2] } });
    expect(read('a: &x [1, *x]\n').problems[0].message).toContain('contains itself');
  });
});

describe('documents', () => {
  test('split at --- lines; empty documents are skipped; each object has its line', () => {
    const { objects, problems } = read(`---\n---\n${pod('      privileged: false\n', 'a')}---\n# nothing\n---\n${pod('      privileged: false\n', 'b')}`);
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.object.metadata?.name, o.line])).toEqual([['a', 3], ['b', 16]]);
  });

  test('a --- with more than a comment after it, or a second document after ..., is a problem', () => {
    expect(read('a: 1\n--- b: 2\n').problems).toContainEqual({ file: 'm.yaml', line: 2, message: expect.stringContaining('invalid document separator') });
    expect(read('apiVersion: v1\nkind: Pod\n...\nkind: Secret\n').problems[0].message).toContain('kubectl reads only the first one');
  });

  test('a document that starts indented is refused: Kubernetes would silently drop what follows', () => {
    // kubectl reads {apiVersion, kind} here and never sees spec.
    expect(read('  apiVersion: v1\n  kind: Pod\nspec:\n  hostPID: true\n').problems).toEqual([
      { file: 'm.yaml', line: 3, message: expect.stringContaining('Kubernetes reads only the lines before it') },
    ]);
  });

  test.each([
    ['a scalar', 'hello\n', 'the text "hello"'],
    ['a list', '- apiVersion: v1\n  kind: Pod\n', 'a list'],
    ['no kind', 'apiVersion: v1\nmetadata: {name: x}\n', 'no kind'],
    ['a non-string kind', 'apiVersion: v1\nkind: 1\n', 'kind is the number 1'],
    ['an unrendered template', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n', 'unrendered template'],
    ['a whole-document template', '{{- include "x" . }}\n', 'unrendered template'],
  ])('%s is reported, not counted as clean', (_what, text, message) => {
    const { objects, problems } = read(text);
    expect(objects).toEqual([]);
    expect(problems.map((p) => p.message).join('\n')).toContain(message);
  });
});

describe('Lists, as kubectl flattens them', () => {
  const podList = `apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: c, image: i}]}\n- metadata: {name: b}\n  spec:\n    containers:\n    - name: c\n      image: i\n      securityContext: {privileged: true}\n`;

  test('a PodList is flagged, and an item without kind becomes a Pod as kubectl makes it', () => {
    const { objects, problems } = read(podList);
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.object.kind, o.object.metadata?.name, o.line])).toEqual([['Pod', 'a', 4], ['Pod', 'b', 8]]);
    expect(ruleIds(podList)).toContain('pod-security/privileged');
  });

  test('nested lists, JSON lists and any kind with items are flattened', () => {
    const nested = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }] }] };
    expect(read(JSON.stringify(nested)).objects.map((o) => o.object.kind)).toEqual(['Deployment']);
    expect(read(JSON.stringify(nested, null, 1)).objects[0].line).toBe(9);
    expect(read('apiVersion: v1\nkind: ConfigMap\nitems:\n- apiVersion: v1\n  kind: Secret\n').objects.map((o) => o.object.kind)).toEqual(['Secret']);
  });

  test('an item that is not an object is a problem', () => {
    expect(read('apiVersion: v1\nkind: List\nitems: [1]\n').problems[0].message).toContain('item 0 of the List is not a Kubernetes object');
  });
});

describe('files and directories', () => {
  test('directories are read recursively, .yaml/.yml/.json in any case; other files are not', () => {
    const dir = tempDir({
      'a/b/deep.YML': pod('      privileged: yes\n', 'deep'),
      'a/x.Json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }),
      'c.yaml': pod('      privileged: false\n', 'c'),
      'README.md': 'not: [a manifest',
      'values.yaml.tmpl': 'not: [a manifest',
    });
    const r = readManifests([dir]);
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual([path.join('a', 'b', 'deep.YML'), path.join('a', 'x.Json'), 'c.yaml']);
    expect(r.objects.map((o) => o.object.metadata?.name)).toEqual(['deep', 'j', 'c']);
    const cli = run(['check', dir, '--pack', 'pss-baseline'], NOW);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('[pod-security/privileged]');
  });

  test('JSON is read as JSON, with duplicate keys an error', () => {
    const r = read('{\n "apiVersion": "v1",\n "kind": "Pod",\n "kind": "Secret"\n}\n');
    expect(r.problems).toEqual([{ file: 'm.yaml', line: 4, message: 'duplicate key "kind"' }]);
  });

  test('one bad file never stops the others', () => {
    const dir = tempDir({ '1-bad.yaml': 'a: [\n', '2-bad.json': '\xff', '3-good.yaml': pod('      privileged: true\n') });
    fs.writeFileSync(path.join(dir, '2-bad.json'), Buffer.from([0x7b, 0xff, 0x7d]));
    const r = readManifests([dir, path.join(dir, 'missing.yaml')]);
    expect(r.objects).toHaveLength(1);
    expect(r.problems.map((p) => [path.basename(p.file), p.line ?? null, p.message.split(':')[0]])).toEqual([
      ['missing.yaml', null, 'no such file or directory'],
      ['1-bad.yaml', 2, 'invalid YAML'],
      ['2-bad.json', null, "the file is not valid UTF-8, which Kubernetes' YAML and JSON readers refuse"],
    ]);
  });

  test('a Windows (CRLF) file reads like any other', () => {
    expect(only(pod('      privileged: yes\n').replace(/\n/g, '\r\n')).spec.containers[0].securityContext.privileged).toBe(true);
  });
});

describe('the jest matchers read YAML strings the same way', () => {
  test('toHaveFinding sees privileged: yes and a merge', () => {
    expect(pod('      privileged: yes\n')).toHaveFinding('pod-security/privileged', { packs: ['pss-baseline'], now: NOW });
    expect(pod('      <<: {privileged: true}\n')).toHaveFinding('pod-security/privileged', { packs: ['pss-baseline'], now: NOW });
  });

  test('toObjects refuses what Kubernetes would read differently', () => {
    expect(() => toObjects('a: 1\na: 2\n')).toThrow('line 2: duplicate key "a"');
    expect(() => toObjects('just text\n')).toThrow('not a Kubernetes object');
  });
});

describe('agreement with kubectl', () => {
  /**
   * Cases recorded from kubectl's own decoder (see the file's recordedWith). Where kubectl reads a
   * document, Bulwark reads the same JSON, except where Kubernetes' result depends on which
   * duplicate it keeps or ignores content: then Bulwark reports a problem. Where kubectl fails,
   * Bulwark reports a problem too, except for the few syntax errors listed, which it reads leniently.
   */
  const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'helpers/kubectl-decoder.json'), 'utf8')) as {
    cases: Array<{ name: string; input: string; documents: unknown[]; error?: string }>;
  };
  /** kubectl reads these, and Bulwark refuses them: its result depends on a duplicate, ignores content, or is read otherwise by other tools. */
  const STRICTER = new Set(['dup1', 'dup2', 'dup3', 'dup4', 'dup5', 'dup6', 'dup7', 'dup8', 'json5', 'merge12', 'ls', 'ls2', 'nel', 'docend', 'cr',
    'indented-first-line', 'quotedsq', 'flow-case11', 'flow-case12', 'flow-case14', 'flow-case15', 'flow-case16', 'flow-case18', 'flow-case19',
    'flow-case22', 'pod-flow-question', 'dq-esc2', 'tag-c1', 'tag-c3', 'tag-c8', 'tag-c13']);
  /** kubectl refuses these; Bulwark may read them (so it checks more than kubectl would apply, never less). */
  const LENIENT = new Set(['anchorname', 'longkey', 'quoted', 'flow-case20', 'tag-c7']);
  /** kubectl reads these; the exact path's parser refuses `[-]` (YAML 1.2), but whatever Bulwark reads must match. */
  const MAY_REFUSE = new Set(['strs']);
  const norm = (v: unknown) => JSON.parse(JSON.stringify(v));

  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // A "<<" in a comment sends a YAML document down the exact path instead of the fast one.
    const inputs = /^\s*\{/.test(c.input) ? [c.input] : [c.input, `# << (takes the exact path)\n${c.input}`];
    for (const input of inputs) {
      const mine = parseKubernetesStream(input);
      const documents = mine.documents.map((d) => norm(d.value));
      if (LENIENT.has(c.name) || (MAY_REFUSE.has(c.name) && mine.problems.length > 0)) continue;
      if (c.error === undefined && !STRICTER.has(c.name)) {
        expect(mine.problems).toEqual([]);
        expect(documents).toEqual(c.documents);
      } else {
        expect(mine.problems.length).toBeGreaterThan(0);
        expect(documents.slice(0, c.documents.length)).toEqual(c.documents.slice(0, documents.length));
      }
    }
  });

  test('the fast path (js-yaml) and the exact path (yaml AST) read every document alike', () => {
    const scalar = fc.constantFrom('yes', 'no', 'On', 'y', '~', '0644', '0x1F', '1_000', '08', '.5', '1e3', '-0', '2026-11-22', '12:30',
      '"yes"', "'0644'", 'plain text', '!!str 12', '!!int "7"', '.inf', '18446744073709551615', '');
    const key = fc.constantFrom('a', 'b', 'privileged', 'yes', '1', '1.5', '"on"', 'k e y');
    const node: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
      map: fc.uniqueArray(fc.tuple(key, tie('node')), { selector: ([k]) => k, minLength: 1, maxLength: 3 })
        .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      seq: fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    })).node as fc.Arbitrary<string>;
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(key, node), { selector: ([k]) => k, minLength: 1, maxLength: 4 }), (pairs) => {
      const text = pairs.map(([k, v]) => `${k}: ${v}`).join('\n');
      const fast = parseKubernetesStream(text);
      const exact = parseKubernetesStream(`# <<\n${text}`);
      expect(exact.problems.map((p) => p.message)).toEqual(fast.problems.map((p) => p.message));
      expect(exact.documents.map((d) => d.value)).toEqual(fast.documents.map((d) => d.value));
    }), { seed: 20261123, numRuns: 400 });
  });
});
