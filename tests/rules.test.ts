/**
 * Every rule in the catalog: metadata complete, and a pass and a fail fixture that prove it.
 * Fixtures live in tests/fixtures/<rule-id>/{pass,fail}/*.yaml: the first document is the subject
 * (one change from compliant in `fail`), the rest is context for rules that relate objects.
 * Pod Security rules use the upstream conformance corpus (tests/helpers/pss-fixtures.ts) as their fixtures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CATALOG, DEFAULT_PACKS, evaluate, KubeObject, POD_SECURITY_RULES } from '../policy';
import { NOW } from './helpers';
import { pssFixturesRoot, pssFixturesSkipped } from './helpers/pss-fixtures';

const FIXTURES = path.join(__dirname, 'fixtures');
const PSS_SKIPPED = pssFixturesSkipped(); // no Go and BULWARK_ALLOW_NO_GO=1
const pssIds = new Set(POD_SECURITY_RULES.map((r) => r.id));
/** Every fixture image is under registry.example.com: rule images/trusted-registry applies to all of them. */
const TRUSTED_REGISTRIES = ['registry.example.com'];
/** The default packs plus the control-plane pack, whose rules read only configuration files (policy/rules/control-plane). */
const PACKS = [...DEFAULT_PACKS, 'cis-control-plane' as const];

function load(file: string): KubeObject[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  // A fixture that is not valid YAML would pass vacuously.
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0].message}`);
  return docs.map((d) => d.toJSON());
}

function files(rule: string, kind: 'pass' | 'fail'): string[] {
  const dir = path.join(FIXTURES, rule, kind);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f)) : [];
}

describe.each(CATALOG.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  test('has a title, rationale, remediation ending in a period and references', () => {
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(30);
    expect(rule.remediation).toMatch(/\.$/);
    expect(rule.references.length).toBeGreaterThan(0);
    expect(id).toMatch(/^[a-z-]+\/[a-z-]+$/);
  });

  if (pssIds.has(id)) {
    (PSS_SKIPPED === undefined ? test : test.skip)('has pass and fail fixtures in the upstream corpus', () => {
      const PSS_CORPUS = pssFixturesRoot();
      const check = (rule as any).psaCheck.toLowerCase();
      const names = fs.readdirSync(path.join(PSS_CORPUS, 'restricted', 'v1.37', 'fail')).concat(fs.readdirSync(path.join(PSS_CORPUS, 'baseline', 'v1.37', 'fail')));
      expect(names.some((n) => n.replace(/\d*\.yaml$/, '') === check)).toBe(true);
    });
    return;
  }

  test('has at least one pass and one fail fixture', () => {
    expect(files(id, 'pass').length).toBeGreaterThan(0);
    expect(files(id, 'fail').length).toBeGreaterThan(0);
  });

  test.each(files(id, 'pass').map((f) => [path.relative(FIXTURES, f), f]))('allows %s with no finding at all', (_n, file) => {
    const [subject, ...context] = load(file);
    const findings = evaluate([subject], { context, now: NOW, trustedRegistries: TRUSTED_REGISTRIES, packs: PACKS });
    expect(findings.map((f) => `${f.ruleId}: ${f.detail}`)).toEqual([]);
  });

  test.each(files(id, 'fail').map((f) => [path.relative(FIXTURES, f), f]))('denies %s by this rule and no other', (_n, file) => {
    const [subject, ...context] = load(file);
    const findings = evaluate([subject], { context, now: NOW, trustedRegistries: TRUSTED_REGISTRIES, packs: PACKS });
    expect([...new Set(findings.map((f) => f.ruleId))]).toEqual([id]);
  });
});

test('every fixture directory belongs to a rule in the catalog', () => {
  const dirs: string[] = [];
  for (const domain of fs.readdirSync(FIXTURES)) for (const name of fs.readdirSync(path.join(FIXTURES, domain))) dirs.push(`${domain}/${name}`);
  const ids = new Set(CATALOG.map((r) => r.id));
  expect(dirs.filter((d) => !ids.has(d))).toEqual([]);
});

describe('evaluate({ rules }): a caller that acts on some rules only runs those', () => {
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' },
    spec: { containers: [{ name: 'c', image: 'docker.io/library/nginx:latest', securityContext: { privileged: true } }] },
  };

  test('only the named rules report, and exactly what they report when every rule runs', () => {
    const all = evaluate([pod], { trustedRegistries: ['registry.example.com'] });
    const imageIds = CATALOG.map((r) => r.id).filter((id) => id.startsWith('images/'));
    const some = evaluate([pod], { trustedRegistries: ['registry.example.com'], rules: imageIds });
    expect(new Set(some.map((f) => f.ruleId))).toEqual(new Set(imageIds));
    expect(some).toEqual(all.filter((f) => imageIds.includes(f.ruleId)));
    expect(all.some((f) => f.ruleId === 'pod-security/privileged')).toBe(true);
  });

  test('a rule id outside the catalog is an error, not a check that runs nothing', () => {
    expect(() => evaluate([pod], { rules: ['images/digest-pined'] })).toThrow('evaluate: no rule "images/digest-pined" in the catalog');
  });

  test('a rule outside the packs in force stays off', () => {
    const baselineOnly = evaluate([pod], { packs: ['pss-baseline'], rules: ['images/digest-pinned', 'pod-security/privileged'] });
    expect(baselineOnly.map((f) => f.ruleId)).toEqual(['pod-security/privileged']);
  });
});
