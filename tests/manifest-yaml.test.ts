/**
 * The YAML BulwarkApp writes must mean to Kubernetes (a YAML 1.1 reader) exactly the JSON that was
 * checked: a string that a reader turned into a boolean, a number or a merge key would be a way
 * around every rule. Proven on every shipped stack and on arbitrary JSON.
 */
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { toYamlDocument, toYamlStream } from '../constructs/manifest-yaml';
import { shippedStacks } from '../stacks/app';

function readBack(text: string, version: '1.1' | '1.2'): unknown[] {
  return parseAllDocuments(text, { version, uniqueKeys: true }).map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return d.toJSON();
  });
}

test.each(['1.1', '1.2'] as const)('every shipped stack reads back identically as YAML %s', (version) => {
  const objects = shippedStacks().flatMap((s) => s.objects);
  expect(readBack(toYamlStream(objects), version)).toEqual(objects);
});

test.each([
  ['YAML 1.1 booleans', ['yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False']],
  ['nulls and numbers', ['null', '~', '', '0777', '0x1F', '1e3', '1_000', '12:30', '.inf', '-.5', '2026-11-22']],
  ['indicators', ['a:', 'a: ', 'http://x', '<<', '- x', '? x', ': x', 'a: b', 'a #b', '#c', '&a', '*a', '!tag', '%x', '@x', '`x', '"x', "'x", '|', '>', '{}', '[]', ' lead', 'trail ']],
  ['line breaks and non-printables', ['a\nb', 'a\r\nb', 'x\u0085y', 'x\u2028y', 'x\u2029y', 'del\u007f', 'c1\u0090', 'bom\ufeff', 'tab\tx', 'nul\u0000']],
])('strings that look like %s stay strings', (_what, strings) => {
  const doc = { values: strings, keys: Object.fromEntries(strings.map((s, i) => [s, i])) };
  for (const version of ['1.1', '1.2'] as const) expect(readBack(toYamlDocument(doc), version)).toEqual([doc]);
});

test('plain scalars are used only for strings that cannot mean anything else', () => {
  expect(toYamlDocument({ kind: 'Pod', image: 'registry.example.com/a/b@sha256:ab', yes: 'on', n: '10', e0: 'e0', 'a:': 'b:c' }))
    .toBe('kind: Pod\nimage: registry.example.com/a/b@sha256:ab\n"yes": "on"\n"n": "10"\n"e0": "e0"\n"a:": b:c\n');
});

test('arbitrary JSON objects read back identically under YAML 1.1 and 1.2', () => {
  const json = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }) as fc.Arbitrary<Record<string, unknown>>;
  const strings = fc.dictionary(fc.fullUnicodeString(), fc.fullUnicodeString(), { maxKeys: 6 });
  fc.assert(fc.property(fc.oneof(json, strings), (doc) => {
    // JSON has no -0; YAML writes it as 0, as JSON.stringify does.
    const expected = JSON.parse(JSON.stringify(doc));
    for (const version of ['1.1', '1.2'] as const) expect(readBack(toYamlDocument(doc), version)).toEqual([expected]);
  }), { seed: 20261122, numRuns: 1500 });
});

test('values that are not JSON are refused, not written as something else', () => {
  expect(() => toYamlDocument({ n: Number.NaN })).toThrow('cannot write the number NaN as YAML');
  expect(() => toYamlDocument({ f: (() => 1) as unknown })).toThrow('cannot write a function as YAML');
});
