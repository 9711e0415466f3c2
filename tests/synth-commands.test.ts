/**
 * The two ways a user synthesizes (README): `npm run synth` and `cdk8s synth` (cdk8s-cli, reading
 * cdk8s.yaml) write the same files, byte for byte, and with SOURCE_DATE_EPOCH set they do so on any
 * day. Real processes, as a user runs them; the second runs with its clock moved three days on.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ClusterGuardrails, synthesisDate } from '../constructs';
import { newChart } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const EPOCH = '1763900000'; // 2025-11-23T12:13:20Z
jest.setTimeout(120_000);

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-synth-commands-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir`, by relative path. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p); else files[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
}

test('npm run synth and cdk8s synth write the same files; SOURCE_DATE_EPOCH makes them the same on any day', () => {
  const viaNpm = path.join(tmp, 'npm');
  const viaCdk8s = path.join(tmp, 'cdk8s');
  fs.mkdirSync(viaNpm);
  fs.writeFileSync(path.join(viaNpm, 'stale.k8s.yaml'), 'kind: Stale\n'); // synth starts from an empty folder, like cdk8s synth
  run('npm', ['run', '--silent', 'synth'], { CDK8S_OUTDIR: viaNpm, SOURCE_DATE_EPOCH: EPOCH });

  // Three days later, by the clock every node process of cdk8s synth (the CLI and the app it runs) reads.
  const shift = path.join(tmp, 'three-days-on.js');
  fs.writeFileSync(shift, `const Real = Date; const offset = 3 * 24 * 3600 * 1000;
globalThis.Date = class extends Real { constructor(...a) { if (a.length === 0) super(Real.now() + offset); else super(...a); } static now() { return Real.now() + offset; } };\n`);
  run(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--output', viaCdk8s], { SOURCE_DATE_EPOCH: EPOCH, NODE_OPTIONS: `--require ${shift}` });

  const a = tree(viaNpm);
  const b = tree(viaCdk8s);
  expect(Object.keys(a)).toEqual(expect.arrayContaining(['acme/platform.k8s.yaml', 'acme/shop.k8s.yaml', 'acme/payments.k8s.yaml', 'acme/storefront.k8s.yaml',
    'acme/control-plane/audit-policy.yaml', 'hello/hello.k8s.yaml', 'hello/platform.k8s.yaml']));
  expect(Object.keys(a)).not.toContain('stale.k8s.yaml');
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const f of Object.keys(a)) expect({ file: f, text: b[f] }).toEqual({ file: f, text: a[f] });

  // The one dated object, the guardrails' clock, carries SOURCE_DATE_EPOCH's day, not the day of synth.
  const clocks = parseAllDocuments(a['acme/platform.k8s.yaml']).map((d) => d.toJSON()).filter((o) => o?.kind === 'ConfigMap' && o.metadata.name === 'bulwark-guardrail-clock');
  expect(clocks.map((c) => c.data.today)).toEqual(['2025-11-23']);

  // The shifted clock is real: without SOURCE_DATE_EPOCH the same synth dates the clock three days on.
  const unpinned = path.join(tmp, 'unpinned');
  run('npm', ['run', '--silent', 'synth'], { CDK8S_OUTDIR: unpinned, SOURCE_DATE_EPOCH: '', NODE_OPTIONS: `--require ${shift}` });
  const today = parseAllDocuments(fs.readFileSync(path.join(unpinned, 'acme/platform.k8s.yaml'), 'utf8')).map((d) => d.toJSON())
    .find((o) => o?.kind === 'ConfigMap' && o.metadata.name === 'bulwark-guardrail-clock').data.today;
  const realNow = performance.timeOrigin + performance.now(); // jest fakes Date here (tests/setup-clock.ts), not performance
  expect([0, 1].map((slack) => new Date(realNow + 3 * 86_400_000 - slack * 60_000).toISOString().slice(0, 10))).toContain(today);
});

describe('SOURCE_DATE_EPOCH', () => {
  afterEach(() => { delete process.env.SOURCE_DATE_EPOCH; });

  test('unset or empty: the date of synth', () => {
    expect(synthesisDate({})).toEqual(new Date());
    expect(synthesisDate({ SOURCE_DATE_EPOCH: '' })).toEqual(new Date());
    expect(synthesisDate({ SOURCE_DATE_EPOCH: '0' })).toEqual(new Date(0));
  });

  test.each(['-1', '1.5', '1e9', ' 1763900000', '0x10', 'yesterday', '9999999999999'])('"%s" is refused, naming the variable and the fix', (value) => {
    expect(() => synthesisDate({ SOURCE_DATE_EPOCH: value })).toThrow(`SOURCE_DATE_EPOCH "${value}" is not a whole number of seconds since 1970-01-01 UTC (the guardrails' clock is dated with it). Set it to e.g. $(git log -1 --format=%ct), or unset it to date the output at synth.`);
  });

  test('dates the guardrails\' clock, and a bad value stops synth instead of dating it today', () => {
    process.env.SOURCE_DATE_EPOCH = EPOCH;
    expect(new ClusterGuardrails(newChart(), 'g').clock.toJson().data).toEqual({ today: '2025-11-23' });
    process.env.SOURCE_DATE_EPOCH = 'last tuesday';
    expect(() => new ClusterGuardrails(newChart(), 'g')).toThrow(/SOURCE_DATE_EPOCH "last tuesday" is not a whole number of seconds/);
  });
});
