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
  const { findings, summary } = JSON.parse(r.stdout);
  expect(findings.map((f: any) => f.ruleId)).toEqual(['pod-security/run-as-user']);
  expect(findings[0].object).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'runasuser0' });
  expect(findings[0]).toMatchObject({ file: corpus('fail/runasuser0.yaml'), line: expect.any(Number), fieldLine: expect.any(Number), remediationFor: 'manifest' });
  expect(summary).toMatchObject({ objects: 1, unwaived: 1, waived: 0 });
});

test('explain prints why, both fixes and references', () => {
  const r = run(['explain', 'images/digest-pinned']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("fix with Bulwark's constructs: Reference the image by digest");
  expect(r.stdout).toContain('fix in a manifest: Set containers[].image to "registry/repo@sha256:');
  expect(r.stdout).toContain('Checkov CKV_K8S_43');
});

test.each([
  [['explain', 'nope/nope'], 'unknown rule "nope/nope"'],
  [['check'], 'check needs at least one YAML file or directory'],
  [['check', '/no/such/file.yaml'], 'bulwark: /no/such/file.yaml: no such file or directory'],
  [['check', __dirname, '--pack', 'pss-everything'], 'unknown pack "pss-everything"'],
  [['frobnicate'], 'unknown command "frobnicate"'],
])('bad usage %j exits 2 with a clear message', (argv, message) => {
  const r = run(argv as string[]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
});

describe('check reads manifests as Kubernetes does (policy/manifests.ts)', () => {
  const container = (securityContext: string) =>
    `  - name: c\n    image: registry.example.com/a@sha256:${'ab'.repeat(32)}\n    securityContext:\n${securityContext}`;
  const pod = (securityContext: string, name = 'p') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n${container(securityContext)}`;
  const restricted = '      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n';
  const dir = (files: Record<string, string>) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
      fs.writeFileSync(path.join(d, name), text);
    }
    return d;
  };
  const check = (files: Record<string, string>, ...flags: string[]) => run(['check', dir(files), '--pack', 'pss-baseline', ...flags], NOW);

  test.each([
    ['privileged: yes', pod('      privileged: yes\n')],
    ['privileged: On', pod('      privileged: On\n')],
    ['a merge of a privileged mapping', pod('      <<: {privileged: true}\n')],
    ['a merge after privileged: false', `${pod('      privileged: false\n      <<: *p\n')}`.replace('  containers:\n', '  initContainers:\n  - {name: i, image: i, securityContext: &p {privileged: true}}\n  containers:\n')],
    ['a PodList', `apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p}\n  spec:\n    containers:\n  ${container('      privileged: true\n').replace(/\n/g, '\n  ')}`],
    ['a nested .YML file', pod('      privileged: y\n')],
  ])('%s is flagged by pod-security/privileged', (what, text) => {
    const r = check(what === 'a nested .YML file' ? { 'a/b/pod.YML': text } : { 'pod.yaml': text });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('[pod-security/privileged]');
    expect(r.code).toBe(1);
  });

  test('duplicate securityContext keys are an error with file and line, and the rest is still checked', () => {
    const d = { 'a-dup.yaml': pod('      privileged: false\n    securityContext:\n      privileged: true\n'), 'b-ok.yaml': pod(restricted, 'ok') };
    const r = run(['check', dir(d), '--pack', 'pss-restricted'], NOW);
    expect(r.stderr).toMatch(/a-dup\.yaml:11: duplicate key "securityContext" \(first at line 9\)/);
    expect(r.stdout).toBe('1 objects, 0 unwaived and 0 waived findings');
    expect(r.code).toBe(2);
  });

  test('a document that is not a Kubernetes object is reported, not counted as clean', () => {
    const r = check({ 'pod.yaml': `${pod(restricted)}---\n- just\n- a list\n---\n{{ .Values.pod }}\n` });
    expect(r.stderr).toContain('pod.yaml:15: not a Kubernetes object');
    expect(r.stderr).toContain('pod.yaml:18: ');
    expect(r.stderr).toContain('unrendered template');
    expect(r.stdout).toBe('1 objects, 0 unwaived and 0 waived findings');
    expect(r.code).toBe(2);
  });

  test('input that holds no object at all exits 2 with "nothing to check"', () => {
    for (const files of [{}, { 'empty.yaml': '---\n# nothing\n---\n' }, { 'notes.txt': pod('      privileged: true\n') }] as Array<Record<string, string>>) {
      const r = check(files);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('nothing to check');
    }
  });

  test.each(['1.20', '1.33', '9.99', 'latest'])('--kubernetes-version %s exits 2', (version) => {
    const r = check({ 'pod.yaml': pod('      privileged: true\n') }, '--kubernetes-version', version);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bulwark: .*(--kubernetes-version|version)/);
  });
});
