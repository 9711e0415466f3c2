/**
 * `bulwark report`: per namespace and workload the controls that hold, are waived or fail; waivers
 * with reason, owner and expiry, expired and expiring (30 days) flagged; the standards' controls
 * with what no rule covers (docs/coverage.md is the same list). The HTML page is opened in a real
 * Chromium by tests/e2e/report.e2e.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../cli/bulwark';
import { frameworks, hasExplicitScope, renderCoverageMarkdown, ruleApplies } from '../policy/controls';
import { CATALOG } from '../policy';
import { parseManifests } from '../policy/manifests';
import { NOW } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const day = (offset: number) => new Date(NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

function deployment(name: string, ns: string, waivers: unknown[] = [], privileged = false): string {
  const annotations = waivers.length ? `  annotations:\n    bulwark.dev/waivers: '${JSON.stringify(waivers)}'\n` : '';
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${annotations}spec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n      - name: c\n        image: registry.example.com/a@${DIGEST}\n        securityContext:\n          privileged: ${privileged}\n`;
}

function input(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-report-'));
  const reason = 'the vendor chart cannot be changed before the next release';
  fs.writeFileSync(path.join(d, 'a.yaml'), [
    deployment('web', 'team-a', [
      { rule: 'workloads/resources', reason, owner: 'team-a', expires: day(10) },
      { rule: 'workloads/probes', reason, owner: 'team-a', expires: day(-3) },
      { rule: 'workloads/spread', reason },
    ]),
    deployment('api', 'team-b', [], true),
  ].join('---\n'));
  return d;
}

const report = (args: string[]) => run(['report', ...args], NOW);

test('per namespace and workload: what holds, what is waived, what fails, and the totals add up', () => {
  const r = report([input(), '--format', 'json']);
  expect(r.code).toBe(0);
  const p = JSON.parse(r.stdout);
  expect(p.namespaces.map((n: any) => n.name)).toEqual(['team-a', 'team-b']);
  const web = p.namespaces[0].subjects.find((s: any) => s.name === 'Deployment web');
  const state = (s: any, rule: string) => s.controls.find((c: any) => c.rule === rule)?.state;
  expect(state(web, 'workloads/resources')).toBe('waived');
  expect(state(web, 'workloads/probes')).toBe('fail'); // its waiver expired
  expect(state(web, 'pod-security/privileged')).toBe('hold');
  const api = p.namespaces[1].subjects.find((s: any) => s.name === 'Deployment api');
  expect(state(api, 'pod-security/privileged')).toBe('fail');
  expect(state(api, 'rbac/no-wildcards')).toBeUndefined(); // not a control of a Deployment
  for (const n of p.namespaces) {
    const sum = (k: string) => n.subjects.reduce((a: number, s: any) => a + s.counts[k], 0);
    expect(n.counts).toEqual({ hold: sum('hold'), waived: sum('waived'), fail: sum('fail') });
  }
  const total = (k: string) => p.namespaces.reduce((a: number, n: any) => a + n.counts[k], 0);
  expect(p.totals).toEqual({ hold: total('hold'), waived: total('waived'), fail: total('fail') });
  // images/trusted-registry was skipped (no --trusted-registry): it neither holds nor fails.
  expect(state(web, 'images/trusted-registry')).toBeUndefined();
});

test('waivers: reason, owner, expiry; expired and expiring within 30 days come first', () => {
  const p = JSON.parse(report([input(), '--format', 'json']).stdout);
  expect(p.waivers.map((w: any) => [w.rule, w.status, w.owner, w.daysLeft])).toEqual([
    ['workloads/probes', 'expired', 'team-a', -3],
    ['workloads/resources', 'expiring', 'team-a', 10],
    ['workloads/spread', 'active', undefined, undefined],
  ]);
  const md = report([input()]).stdout;
  expect(md).toContain('| **expired 3 days ago** | Deployment team-a/web | `workloads/probes` |');
  expect(md).toContain('| **expires in 10 days** | Deployment team-a/web | `workloads/resources` |');
  const html = report([input(), '--format', 'html']).stdout;
  expect(html).toContain('<tr class="expired" data-waiver-status="expired">');
  expect(html).toContain('<tr class="expiring" data-waiver-status="expiring">');
});

test('the HTML page is self-contained: inline CSS and SVG, no script, no external asset', () => {
  const html = report([input(), '--format', 'html']).stdout;
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<svg');
  expect(html).toContain('<style>');
  expect(html).not.toMatch(/<script|<link|src=|url\(|@import/i);
  expect(html.match(/https?:\/\/[^"<\s]*/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
});

test('the standards: PSS, CIS and NSA/CISA controls with their rules, and what is not covered', () => {
  const p = JSON.parse(report([input(), '--format', 'json']).stdout);
  const fw = (id: string) => p.frameworks.find((f: any) => f.id === id);
  expect(fw('pss').controls.find((c: any) => c.id === 'baseline/Privileged Containers')).toMatchObject({ rules: ['pod-security/privileged'], state: 'fail' });
  expect(fw('cis').controls.find((c: any) => c.id === '5.1.3')).toMatchObject({ rules: ['rbac/no-wildcards'], state: 'not evaluated' });
  expect(fw('cis').controls.find((c: any) => c.id === '5.3.1').state).toBe('not covered');
  expect(fw('nsa').controls.find((c: any) => c.id === 'pod/sandboxing').state).toBe('not covered');
  const md = report([input()]).stdout;
  expect(md).toContain('## Not covered');
  expect(md).toContain('- CIS Kubernetes Benchmark 5.3.1: The CNI in use supports NetworkPolicies');
});

test('every Pod Security Standards control is covered, and every rule maps to some framework', () => {
  const f = frameworks();
  expect(f.find((x) => x.id === 'pss')!.controls.filter((c) => c.rules.length === 0)).toEqual([]);
  const mapped = new Set(f.flatMap((x) => x.controls.flatMap((c) => c.rules)));
  expect(CATALOG.map((r) => r.id).filter((id) => !mapped.has(id))).toEqual([]);
});

test('each rule whose subjects policy/controls.ts names applies to the subject of its own fixtures', () => {
  const root = path.join(__dirname, 'fixtures');
  const misses: string[] = [];
  for (const rule of CATALOG.filter(hasExplicitScope)) {
    for (const kind of ['fail', 'pass']) {
      const dir = path.join(root, rule.id, kind);
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir)) {
        const [subject] = parseManifests(fs.readFileSync(path.join(dir, file), 'utf8'), file).objects;
        if (subject && !ruleApplies(rule, subject.object)) misses.push(`${rule.id}: ${kind}/${file} (${subject.object.kind})`);
      }
    }
  }
  expect(misses).toEqual([]);
});

test('docs/coverage.md is generated and up to date (npm run docs)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'coverage.md'), 'utf8')).toBe(renderCoverageMarkdown());
});

test('--help, bad usage and nothing to report', () => {
  expect(report(['--help']).stdout).toMatch(/^usage: bulwark report/);
  expect(report([input(), '--format', 'pdf']).code).toBe(2);
  expect(report([fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-empty-'))]).stderr).toContain('nothing to report');
});
