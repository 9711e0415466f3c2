import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../cli/bulwark';
import { renderRulesMarkdown } from '../cli/rules-doc';
import { CATALOG } from '../policy';
import { NOW } from './helpers';
import { pssFixturesRoot, pssFixturesSkipped } from './helpers/pss-fixtures';

/** A file of the upstream Pod Security fixtures (restricted, v1.37); see tests/helpers/pss-fixtures.ts. */
const corpus = (file: string) => path.join(pssFixturesRoot(), 'restricted', 'v1.37', file);
/** Tests that read those fixtures: skipped only without Go and with BULWARK_ALLOW_NO_GO=1. */
const pssTest = pssFixturesSkipped() === undefined ? test : test.skip;

test('docs/rules.md is generated from the catalog and up to date (npm run docs)', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../docs/rules.md'), 'utf8');
  expect(committed).toBe(renderRulesMarkdown());
  for (const r of CATALOG) expect(committed).toContain(`### ${r.id}`);
});

pssTest('check exits 1 and lists every finding of a privileged pod', () => {
  const r = run(['check', corpus('fail/privileged0.yaml'), '--pack', 'pss-restricted', '--kubernetes-version', '1.37'], NOW);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('[pod-security/privileged] privileged: container "container1" must not set securityContext.privileged=true');
  expect(r.stdout).toMatch(/1 objects, 2 unwaived and 0 waived findings$/);
});

pssTest('check exits 0 on a compliant directory and reads multi-document files and Lists', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-'));
  const pod = fs.readFileSync(corpus('pass/base.yaml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'a.yaml'), `${pod}\n---\n${pod}`);
  fs.writeFileSync(path.join(dir, 'b.yml'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify(require('yaml').parse(pod)))] }));
  const r = run(['check', dir, '--pack', 'pss-restricted'], NOW);
  expect(r.stdout).toBe('3 objects, 0 unwaived and 0 waived findings');
  expect(r.code).toBe(0);
});

pssTest('check --format json returns the findings as data', () => {
  const r = run(['check', corpus('fail/runasuser0.yaml'), '--pack', 'pss-restricted', '--format', 'json'], NOW);
  const findings = JSON.parse(r.stdout);
  expect(findings.map((f: any) => f.ruleId)).toEqual(['pod-security/run-as-user']);
  expect(findings[0].object).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'runasuser0' });
});

test('explain prints why, the fix and references', () => {
  const r = run(['explain', 'images/digest-pinned']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('fix: Reference the image by digest');
  expect(r.stdout).toContain('Checkov CKV_K8S_43');
});

test.each([
  [['explain', 'nope/nope'], 'unknown rule "nope/nope"'],
  [['check'], 'check needs at least one YAML file or directory'],
  [['check', '/no/such/file.yaml'], 'no such file or directory: /no/such/file.yaml'],
  [['check', __dirname, '--pack', 'pss-everything'], 'unknown pack "pss-everything"'],
  [['frobnicate'], 'unknown command "frobnicate"'],
])('bad usage %j exits 2 with a clear message', (argv, message) => {
  const r = run(argv as string[]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
});
