/**
 * The HTML compliance report in a real headless Chromium: Debian's chromium package, installed by
 * tools/install-chromium.sh (this suite fails, it never skips, when that is impossible), driven by
 * playwright-core. The page is opened from disk with every network request refused, the numbers on
 * it are read back and compared with `bulwark report --format json`, and a screenshot is kept in
 * .artifacts/report/report.png (gitignored).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { shippedStacks } from '../../stacks/app';

const ROOT = path.resolve(process.cwd());
const ARTIFACTS = path.join(ROOT, '.artifacts', 'report');
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function bulwark(args: string[]): string {
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'cli', 'bulwark.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024,
  });
}

/** The shipped stacks, plus a third-party manifest with findings and waivers that expired, expire soon and hold. */
function input(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-report-e2e-'));
  for (const stack of shippedStacks()) fs.writeFileSync(path.join(dir, `${stack.name}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: stack.objects }, null, 2));
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const reason = 'the vendor chart is replaced by our own build next quarter';
  const waivers = JSON.stringify([
    { rule: 'workloads/resources', reason, owner: 'team-observability', expires: day(12) },
    { rule: 'workloads/probes', reason, owner: 'team-observability', expires: day(-5) },
    { rule: 'workloads/spread', reason, owner: 'team-observability', expires: day(200) },
  ]);
  fs.writeFileSync(path.join(dir, 'vendor.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: exporter\n  namespace: monitoring\n  annotations:\n    bulwark.dev/waivers: '${waivers}'\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: exporter}}\n  template:\n    metadata: {labels: {app: exporter}}\n    spec:\n      hostNetwork: true\n      containers:\n      - name: exporter\n        image: quay.io/prometheus/node-exporter@${DIGEST}\n`);
  return dir;
}

let executablePath = '';

beforeAll(() => {
  try {
    executablePath = execFileSync('bash', [path.join(ROOT, 'tools', 'install-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim().split('\n').pop()!;
  } catch (e) {
    throw new Error(`tools/install-chromium.sh could not provide Chromium, so the report cannot be tested in a browser: ${(e as Error).message}`);
  }
});

test('the numbers on the HTML page are the JSON report\'s, drawn in Chromium without any network', async () => {
  const dir = input();
  const posture = JSON.parse(bulwark(['report', dir, '--format', 'json', '--trusted-registry', 'registry.example.com']));
  const page = path.join(dir, 'report.html');
  bulwark(['report', dir, '--format', 'html', '--out', page, '--trusted-registry', 'registry.example.com']);

  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith('file://') ? route.continue() : route.abort();
    });
    const tab = await context.newPage();
    await tab.goto(`file://${page}`);
    const metrics: Record<string, string> = await tab.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-metric')!, e.textContent!.trim()])));
    const expected: Record<string, string> = {
      objects: String(posture.objects),
      'total.hold': String(posture.totals.hold),
      'total.waived': String(posture.totals.waived),
      'total.fail': String(posture.totals.fail),
      'waivers.attention': String(posture.waivers.filter((w: any) => w.status !== 'active').length),
    };
    for (const n of posture.namespaces) {
      for (const k of ['hold', 'waived', 'fail']) expected[`ns.${n.name}.${k}`] = String(n.counts[k]);
      for (const s of n.subjects) for (const k of ['hold', 'waived', 'fail']) expected[`subject.${n.name}.${s.name}.${k}`] = String(s.counts[k]);
    }
    expect(metrics).toEqual(expected);
    expect(posture.totals.fail).toBeGreaterThan(0);
    expect(posture.totals.waived).toBeGreaterThan(0);

    // One bar group per namespace, the waivers flagged, the uncovered controls listed.
    expect(await tab.$$eval('svg g[data-namespace]', (gs) => gs.map((g) => g.getAttribute('data-namespace')))).toEqual(posture.namespaces.map((n: any) => n.name));
    expect(await tab.$$eval('svg rect', (r) => r.length)).toBeGreaterThan(posture.namespaces.length);
    const statuses = await tab.$$eval('tr[data-waiver-status]', (rows) => rows.map((r) => r.getAttribute('data-waiver-status')));
    expect(statuses).toEqual(posture.waivers.map((w: any) => w.status));
    expect(statuses).toEqual(['expired', 'expiring', 'active']);
    const expiredColour = await tab.$eval('tr.expired td', (td) => (globalThis as any).getComputedStyle(td).backgroundColor);
    expect(expiredColour).not.toBe('rgba(0, 0, 0, 0)');
    const notCovered = posture.frameworks.reduce((a: number, f: any) => a + f.counts.notCovered, 0);
    expect(await tab.$$eval('[data-not-covered]', (li) => li.length)).toBe(notCovered);
    expect(notCovered).toBeGreaterThan(0);

    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: false });
    await tab.screenshot({ path: path.join(ARTIFACTS, 'report-full.png'), fullPage: true });
    fs.copyFileSync(page, path.join(ARTIFACTS, 'report.html'));
    expect(fs.statSync(path.join(ARTIFACTS, 'report.png')).size).toBeGreaterThan(10_000);
  } finally {
    await browser.close();
  }
});
