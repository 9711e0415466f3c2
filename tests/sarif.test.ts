/**
 * `bulwark check --format sarif` is valid SARIF 2.1.0 (validated with ajv against the published
 * schema, as shipped on npm by @microsoft/jest-sarif) and carries what GitHub code scanning reads:
 * rules with help and security-severity, results at physical locations with partialFingerprints,
 * waived findings as suppressions, skipped rules and unreadable input as notifications.
 */
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../cli/bulwark';
import { CATALOG } from '../policy';
import { NOW } from './helpers';

const SCHEMA_FILE = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

function validator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  // The published schema's patterns are ECMAScript, not Unicode-mode, regular expressions.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const pod = (name: string, extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: team-a\n${extra}spec:\n  containers:\n  - name: c\n    image: registry.example.com/a@${DIGEST}\n    securityContext:\n      privileged: true\n`;
const WAIVED = `  annotations:\n    bulwark.dev/waivers: '[{"rule":"workloads/resources","reason":"sized by the vertical pod autoscaler in this cluster","owner":"platform","expires":"2027-01-31"}]'\n`;

function workspace(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sarif-'));
  fs.mkdirSync(path.join(d, 'deploy', 'my app'), { recursive: true });
  fs.writeFileSync(path.join(d, 'deploy', 'my app', 'pods.yaml'), `${pod('a', '')}---\n${pod('b', WAIVED)}`);
  fs.writeFileSync(path.join(d, 'deploy', 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, name: y}\n');
  return d;
}

function sarif(cwd: string, args: string[], readStdin?: () => string): any {
  const r = run(['check', ...args, '--format', 'sarif'], NOW, { cwd, ...(readStdin ? { readStdin } : {}) });
  expect(r.code).toBe(1);
  return JSON.parse(r.stdout);
}

test('the output validates against the published SARIF 2.1.0 schema', () => {
  const d = workspace();
  const validate = validator();
  for (const log of [sarif(d, [path.join(d, 'deploy')]), sarif(d, ['-'], () => pod('s', ''))]) {
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  }
  // The schema really is strict: a result without a message is refused.
  const broken = sarif(d, [path.join(d, 'deploy')]);
  delete broken.runs[0].results[0].message;
  expect(validate(broken)).toBe(false);
});

test('what GitHub code scanning reads', () => {
  const d = workspace();
  const log = sarif(d, [path.join(d, 'deploy')]);
  expect(log.version).toBe('2.1.0');
  const run0 = log.runs[0];
  const rules = run0.tool.driver.rules;
  expect(run0.tool.driver.name).toBe('Bulwark');
  // Every rule in force, with help (both fixes, references) and a security severity.
  for (const r of rules) {
    const rule = CATALOG.find((c) => c.id === r.id)!;
    expect(r.shortDescription.text).toBe(rule.title);
    expect(r.help.text).toContain(rule.rationale);
    expect(r.help.markdown).toContain(rule.manifestRemediation!);
    expect(r.help.markdown).toContain(rule.remediation);
    expect(r.help.markdown).toContain(rule.references[0].id);
    expect(Number(r.properties['security-severity'])).toBeGreaterThan(0);
    expect(r.properties.tags).toContain('security');
  }
  expect(run0.results.length).toBeGreaterThan(2);
  for (const res of run0.results) {
    expect(rules[res.ruleIndex].id).toBe(res.ruleId);
    const loc = res.locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'deploy/my%20app/pods.yaml', uriBaseId: '%SRCROOT%' });
    expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
    expect(res.partialFingerprints['bulwarkFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^Pod\/team-a\/[ab]$/);
  }
  const privileged = run0.results.filter((r: any) => r.ruleId === 'pod-security/privileged');
  expect(privileged.map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual([11, 25]);
  expect(privileged[0].level).toBe('error');
  // The waived finding is a suppression, with its reason, owner and expiry.
  const waived = run0.results.filter((r: any) => r.suppressions);
  expect(waived.map((r: any) => [r.ruleId, r.suppressions[0].kind, r.suppressions[0].justification])).toEqual([
    ['workloads/resources', 'inSource', 'sized by the vertical pod autoscaler in this cluster (owner platform) (expires 2027-01-31)'],
  ]);
  // The skipped rule and the unreadable file are notifications, not silence.
  const inv = run0.invocations[0];
  expect(inv.toolConfigurationNotifications.map((n: any) => n.descriptor.id)).toEqual(['images/trusted-registry']);
  expect(inv.toolExecutionNotifications).toEqual([expect.objectContaining({ level: 'error', message: { text: expect.stringContaining('duplicate key "name"') } })]);
  expect(inv.toolExecutionNotifications[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'deploy/broken.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } });
  expect(inv.executionSuccessful).toBe(false);
});

test('fingerprints follow the finding, not its line', () => {
  const d = workspace();
  const before = sarif(d, [path.join(d, 'deploy', 'my app')]).runs[0].results;
  const file = path.join(d, 'deploy', 'my app', 'pods.yaml');
  fs.writeFileSync(file, `# moved down\n\n\n${fs.readFileSync(file, 'utf8')}`);
  const after = sarif(d, [path.join(d, 'deploy', 'my app')]).runs[0].results;
  expect(after.map((r: any) => r.partialFingerprints)).toEqual(before.map((r: any) => r.partialFingerprints));
  expect(after.map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual(before.map((r: any) => r.locations[0].physicalLocation.region.startLine + 3));
  expect(new Set(after.map((r: any) => r.partialFingerprints['bulwarkFinding/v1'])).size).toBe(after.length);
});
