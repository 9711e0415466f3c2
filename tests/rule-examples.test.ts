/**
 * `bulwark explain` shows each rule's own smallest failing and passing fixture, compiled into
 * cli/rule-examples.generated.ts (`npm run docs` regenerates it). The Pod Security rules, whose
 * conformance fixtures are upstream's, have one small pair each in tests/fixtures/pod-security/,
 * proven here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { collectExamples, GENERATED_MODULE, renderExamplesModule, ruleExamples } from '../cli/rule-examples';
import { CATALOG, evaluate, POD_SECURITY_RULES } from '../policy';
import { parseManifests } from '../policy/manifests';
import { NOW } from './helpers';

test('cli/rule-examples.generated.ts is up to date (npm run docs)', () => {
  expect(fs.readFileSync(GENERATED_MODULE, 'utf8')).toBe(renderExamplesModule(collectExamples()));
});

test.each(CATALOG.map((r) => [r.id]))('%s has a failing and a passing example', (id) => {
  const e = ruleExamples(id);
  expect(e?.fail?.file).toMatch(new RegExp(`^tests/fixtures/${id}/fail/`));
  expect(e?.pass?.file).toMatch(new RegExp(`^tests/fixtures/${id}/pass/`));
});

describe.each(POD_SECURITY_RULES.map((r) => [r.id]))('%s example fixtures', (id) => {
  const read = (kind: 'fail' | 'pass') => {
    const file = path.join(__dirname, 'fixtures', id, kind, '0.yaml');
    const parsed = parseManifests(fs.readFileSync(file, 'utf8'), file);
    expect(parsed.problems).toEqual([]);
    return parsed.objects.map((o) => o.object);
  };
  const pssFindings = (kind: 'fail' | 'pass') => evaluate(read(kind), { packs: ['pss-restricted'], now: NOW }).map((f) => f.ruleId);

  test('the passing one passes every Pod Security rule', () => {
    expect(pssFindings('pass')).toEqual([]);
  });

  test('the failing one fails this rule', () => {
    expect(pssFindings('fail')).toContain(id);
  });
});
