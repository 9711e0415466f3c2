/**
 * `bulwark check` as a user meets it: every finding at its file and line (and the field's line),
 * grouped by file and object, the fix phrased for the input, stdin, --namespace, --min-severity,
 * --trusted-registry, --waivers, unrendered Helm templates, --help and exit codes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../cli/bulwark';
import { NOW } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const RESTRICTED = '      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n';

/** A Pod (name, namespace or none) whose container has `securityContext` (at 6 spaces). */
function pod(name: string, securityContext: string, namespace: string | undefined = 'team-a', extraMeta = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}${extraMeta}spec:\n  containers:\n  - name: c\n    image: registry.example.com/a@${DIGEST}\n    securityContext:\n${securityContext}`;
}

function dir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-check-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), text);
  }
  return d;
}

const check = (args: string[], io: { readStdin?: () => string; isTTY?: boolean; env?: Record<string, string> } = {}) => run(['check', ...args], NOW, io);
const json = (args: string[], io = {}) => JSON.parse(check([...args, '--format', 'json'], io).stdout);

describe('where findings are', () => {
  test('two files with objects of the same name are reported under their own file, each at its own lines', () => {
    const d = dir({
      'a.yaml': `${pod('web', RESTRICTED)}---\n${pod('api', `${RESTRICTED}      privileged: true\n`)}`,
      'b.yaml': `# another team's copy\n${pod('api', `${RESTRICTED}      privileged: true\n`)}`,
    });
    const r = check([d, '--pack', 'pss-baseline']);
    expect(r.code).toBe(1);
    const a = path.join(d, 'a.yaml');
    const b = path.join(d, 'b.yaml');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l === a || l === b)).toEqual([a, b]);
    // One heading per (file, object): the two "Pod team-a/api" never merge.
    expect(lines.filter((l) => l.trim().startsWith('Pod team-a/api'))).toEqual(['  Pod team-a/api (line 16)', '  Pod team-a/api (line 2)']);
    const findings = json([d, '--pack', 'pss-baseline']).findings;
    expect(findings.map((f: any) => [path.basename(f.file), f.line, f.fieldLine])).toEqual([['a.yaml', 16, 30], ['b.yaml', 2, 16]]);
    expect(r.stdout).toContain('at spec.containers[0].securityContext.privileged (line 30)');
  });

  test('a finding about a missing field points at its nearest parent in the file', () => {
    const d = dir({ 'p.yaml': pod('p', '      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n') });
    const f = json([d, '--pack', 'pss-restricted']).findings.find((x: any) => x.ruleId === 'pod-security/run-as-non-root');
    // spec.containers[0].securityContext.runAsNonRoot is absent: the line of securityContext.
    expect(f).toMatchObject({ path: 'spec.containers[0].securityContext.runAsNonRoot', line: 1, fieldLine: 10 });
  });

  test('a List item is at its own line; JSON files have lines too', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'team-a' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: `registry.example.com/a@${DIGEST}` }] } }] };
    const d = dir({ 'l.json': JSON.stringify(list, null, 2) });
    const f = json([d, '--pack', 'pss-baseline']).findings;
    expect(f.map((x: any) => [x.ruleId, x.line, x.fieldLine])).toEqual([['pod-security/host-namespaces', 5, 13]]);
  });

  test('"-" reads standard input, reported as such', () => {
    const r = check(['-', '--pack', 'pss-baseline'], { readStdin: () => pod('p', '      privileged: yes\n') });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('standard input');
    expect(json(['-', '--pack', 'pss-baseline'], { readStdin: () => pod('p', '      privileged: yes\n') }).findings[0]).toMatchObject({ file: '<stdin>', line: 1, fieldLine: 11 });
  });
});

describe('what is reported', () => {
  test('--namespace is where namespace-less objects go', () => {
    const d = dir({ 'p.yaml': pod('p', RESTRICTED, '') });
    const ids = (args: string[]) => json([d, ...args]).findings.map((f: any) => f.ruleId);
    expect(ids(['--namespace', 'default'])).toContain('namespaces/no-default-namespace');
    expect(ids(['--namespace', 'team-a'])).not.toContain('namespaces/no-default-namespace');
    expect(json([d, '--namespace', 'team-a']).findings[0].object.namespace).toBe('team-a');
    expect(check([d, '--namespace', 'Not_A_Name']).code).toBe(2);
  });

  test('--min-severity leaves out what is below it, from the output and the exit code', () => {
    const d = dir({ 'p.yaml': pod('p', RESTRICTED) });
    const all = json([d]).findings;
    expect(all.some((f: any) => f.severity === 'medium' || f.severity === 'low')).toBe(true);
    const medium = json([d, '--min-severity', 'medium']).findings;
    expect(medium.length).toBeGreaterThan(0);
    expect(medium.length).toBeLessThan(all.length);
    expect(medium.every((f: any) => f.severity !== 'low')).toBe(true);
    expect(check([d, '--min-severity', 'severe']).code).toBe(2);
  });

  test('without --trusted-registry, images/trusted-registry is skipped and the output says so', () => {
    const d = dir({ 'p.yaml': pod('p', RESTRICTED).replace('registry.example.com/a', 'docker.io/library/nginx') });
    const text = check([d]).stdout;
    expect(text).toMatch(/^skipped images\/trusted-registry: no trusted registries were given/m);
    expect(json([d]).skipped).toEqual([{ rule: 'images/trusted-registry', reason: expect.stringContaining('--trusted-registry') }]);
    const ids = json([d, '--trusted-registry', 'registry.example.com']).findings.map((f: any) => f.ruleId);
    expect(ids).toContain('images/trusted-registry');
    expect(json([d, '--trusted-registry', 'docker.io/library']).findings.map((f: any) => f.ruleId)).not.toContain('images/trusted-registry');
    expect(check([d, '--trusted-registry', 'registry.example.com']).stdout).not.toContain('skipped');
  });

  test('the fix names the field for a raw manifest and the construct prop for an object Bulwark made', () => {
    const raw = pod('p', '      allowPrivilegeEscalation: true\n      runAsNonRoot: true\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n');
    const made = raw.replace('metadata:\n', 'metadata:\n  labels: {bulwark.dev/team: payments}\n');
    const fix = (text: string) => json([dir({ 'p.yaml': text }), '--pack', 'pss-restricted']).findings[0];
    expect(fix(raw)).toMatchObject({ remediationFor: 'manifest', remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, initContainers and ephemeralContainers included.' });
    expect(fix(made)).toMatchObject({ remediationFor: 'construct', remediation: 'Set securityContext.allowPrivilegeEscalation to false on every container, init containers included.' });
    // A waiver annotation alone does not make a manifest Bulwark's.
    const waived = raw.replace('metadata:\n', 'metadata:\n  annotations: {bulwark.dev/waivers: "[]"}\n');
    expect(fix(waived).remediationFor).toBe('manifest');
  });

  test('objects in a namespace labelled by Bulwark get the construct fix', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {bulwark.dev/environment: production}\n---\n';
    const f = json([dir({ 'all.yaml': `${ns}${pod('p', '      privileged: true\n')}` }), '--pack', 'pss-baseline']).findings;
    expect(f.find((x: any) => x.ruleId === 'pod-security/privileged').remediationFor).toBe('construct');
  });

  test('colour only on a terminal, and never with NO_COLOR', () => {
    const d = dir({ 'p.yaml': pod('p', '      privileged: true\n') });
    expect(check([d, '--pack', 'pss-baseline']).stdout).not.toContain('\u001b[');
    expect(check([d, '--pack', 'pss-baseline'], { isTTY: true }).stdout).toContain('\u001b[');
    expect(check([d, '--pack', 'pss-baseline'], { isTTY: true, env: { NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });
});

describe('--waivers FILE', () => {
  const bad = pod('exporter', '      privileged: false\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n', 'monitoring');
  const waiver = (fields: string) => `waivers:\n  - kind: Pod\n    namespace: monitoring\n    name: exporter\n${fields}`;
  const reason = '    reason: the vendor image writes its state under /var/lib and cannot be rebuilt\n';

  test('a valid entry waives the finding on the object it names, and only there', () => {
    const d = dir({ 'p.yaml': `${bad}---\n${bad.replace('name: exporter', 'name: other')}`, 'w.yaml': waiver(`    rule: workloads/read-only-root-filesystem\n${reason}    owner: team-observability\n    expires: 2027-03-31\n`) });
    const out = json([path.join(d, 'p.yaml'), '--pack', 'bulwark-recommended', '--waivers', path.join(d, 'w.yaml')]);
    const rofs = out.findings.filter((f: any) => f.ruleId === 'workloads/read-only-root-filesystem');
    expect(rofs.map((f: any) => [f.object.name, f.waiver?.owner])).toEqual([['exporter', 'team-observability'], ['other', undefined]]);
    expect(out.problems).toEqual([]);
  });

  test.each([
    ['an expired entry', `    rule: workloads/read-only-root-filesystem\n${reason}    expires: 2020-01-31\n`, 'expired on 2020-01-31'],
    ['a short reason', '    rule: workloads/read-only-root-filesystem\n    reason: needed\n', 'too short'],
    ['an unknown rule', `    rule: workloads/nope\n${reason}`, 'rule "workloads/nope" does not exist'],
    ['a rule that cannot be waived', `    rule: pod-security/privileged\n${reason}`, 'cannot be waived'],
    ['an unknown field', `    rule: workloads/read-only-root-filesystem\n${reason}    expiry: 2027-01-01\n`, 'unknown field "expiry"'],
    ['a date that does not exist', `    rule: workloads/read-only-root-filesystem\n${reason}    expires: 2027-02-31\n`, 'is not a date'],
  ])('%s is an error with the file and line, and is not applied', (_what, fields, message) => {
    const d = dir({ 'p.yaml': bad, 'w.yaml': waiver(fields) });
    const r = check([path.join(d, 'p.yaml'), '--pack', 'bulwark-recommended', '--waivers', path.join(d, 'w.yaml')]);
    expect(r.stderr).toContain(`${path.join(d, 'w.yaml')}:2: waiver 1: `);
    expect(r.stderr).toContain(message);
    expect(r.code).not.toBe(0);
    expect(json([path.join(d, 'p.yaml'), '--pack', 'bulwark-recommended', '--waivers', path.join(d, 'w.yaml')]).findings.filter((f: any) => f.waiver)).toEqual([]);
  });

  test('a namespaced kind needs its namespace; a missing file is an error', () => {
    const d = dir({ 'p.yaml': bad, 'w.yaml': `waivers:\n  - kind: Pod\n    name: exporter\n    rule: workloads/read-only-root-filesystem\n${reason}` });
    expect(check([path.join(d, 'p.yaml'), '--waivers', path.join(d, 'w.yaml')]).stderr).toContain('namespace is required for a Pod');
    const r = check([path.join(d, 'p.yaml'), '--waivers', path.join(d, 'nope.yaml')]);
    expect(r.stderr).toContain('cannot read the waiver file');
    expect(r.code).not.toBe(0);
  });
});

describe('unrendered Helm templates are input problems with file and line, never "[object Object]"', () => {
  const chart = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: team-a\nspec:\n  type: {{ .Values.service.type }}\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: team-a\nspec:\n  containers:\n  - name: c\n    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
    '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: z, namespace: team-a}\n{{- end }}\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: team-a\nspec:\n  containers: []\n',
  ];
  test.each(chart.map((t, i) => [i, t]))('template %i', (_i, text) => {
    const d = dir({ 'templates/x.yaml': `${pod('ok', RESTRICTED)}---\n${text}` });
    for (const format of ['text', 'json', 'sarif']) {
      const r = check([d, '--format', format]);
      expect(`${r.stdout}${r.stderr}`).not.toContain('[object Object]');
      expect(r.stderr).toMatch(new RegExp(`${path.join(d, 'templates', 'x.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
      expect(r.stderr).toMatch(/template/);
    }
    expect(json([d]).summary.objects).toBe(1);
  });

  test('rendered Prometheus templates in a ConfigMap are not taken for Helm', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules, namespace: team-a}\ndata:\n  alert: "{{ $labels.instance }} is down for {{ $value }}"\n';
    const r = check([dir({ 'cm.yaml': cm })]);
    expect(r.stderr).toBe('');
  });
});

describe('the command line', () => {
  test.each(['check', 'explain', 'rules', 'docs'])('%s --help prints its usage and exits 0', (command) => {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: bulwark ${command}`));
  });

  test('--version and --help', () => {
    expect(run(['--version']).stdout).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
    expect(run(['--help']).stdout).toContain('commands:');
  });

  test.each([
    [['check', '.', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['check', '.', '--format', 'xml'], 'unknown format "xml"'],
    [['check', '.', '--format'], "argument missing"],
    [['explain', 'a', 'b'], 'one rule id'],
  ])('%j exits 2 on stderr', (argv, message) => {
    const r = run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
