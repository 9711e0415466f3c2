import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { parse } from 'yaml';
import { run } from '../cli/bulwark';
import { dnsLabelProblem, init, InitIo, listTemplates, MAX_APP_NAME_LENGTH, nameFromDirectory, PLACEHOLDER_DIGEST, renderTemplate } from '../cli/init';

/**
 * `bulwark init`: what it validates and refuses before writing anything, and what it writes.
 * That each template installs, synthesizes and passes its own tests is the golden-path suite's
 * job (npm run test:golden); here nothing is installed.
 */
const TEMPLATES = ['cron-job', 'platform-cluster', 'sensitive-service', 'stateful-service', 'web-service', 'worker'];

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-init-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const quiet: InitIo = { interactive: false };
const initIn = (args: string[], io: InitIo = quiet) => init(args, { cwd, ...io });
const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : undefined);

test('the templates are the documented five, each with a description', () => {
  expect(listTemplates().map((t) => t.name)).toEqual(TEMPLATES);
  for (const t of listTemplates()) expect(t.description.length).toBeGreaterThan(20);
});

test('--help lists every template and option and writes nothing', async () => {
  const r = await initIn(['--help']);
  expect(r.code).toBe(0);
  for (const t of TEMPLATES) expect(r.stdout).toContain(`  ${t} `);
  for (const o of ['--name', '--namespace', '--registry', '--image', '--host', '--kubernetes-version', '--bulwark', '--yes', '--force']) expect(r.stdout).toContain(o);
  expect(ls(cwd)).toEqual([]);
});

test.each(TEMPLATES)('%s renders a complete project: no placeholder left, valid package.json, Pulumi.yaml and CI workflow', (template) => {
  const files = renderTemplate({
    template, dir: cwd, name: 'payments', namespace: 'payments-ns', registry: 'registry.example.com/payments', image: 'registry.example.com/payments/api',
    digest: PLACEHOLDER_DIGEST, host: 'pay.example.com', kubernetesVersion: '1.36', bulwarkSpec: 'file:/tmp/with "quotes" and spaces/bulwark.tgz',
  });
  expect([...files.keys()]).toEqual(expect.arrayContaining([
    '.github/workflows/ci.yml', '.gitignore', 'README.md', 'Pulumi.yaml', 'cdk8s.yaml', 'jest.config.js', 'package.json', 'tsconfig.json',
    'src/app.ts', 'src/main.ts', 'src/pulumi.ts', 'test/app.test.ts', `test/${template}.test.ts`,
  ]));
  expect([...files.keys()]).not.toContain('template.json');
  for (const [file, text] of files) expect(`${file}: ${text}`).not.toMatch(/\{\{[^}]*\}\}/);
  const pkg = JSON.parse(files.get('package.json')!);
  expect(pkg.name).toBe('payments');
  expect(pkg.dependencies.bulwark).toBe('file:/tmp/with "quotes" and spaces/bulwark.tgz');
  // Every dependency has the version range Bulwark itself is built and tested with.
  for (const deps of [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies]) for (const v of Object.values(deps)) expect(v).toMatch(/^(\^|file:)/);
  expect(parse(files.get('Pulumi.yaml')!)).toMatchObject({ name: 'payments', runtime: { name: 'nodejs' }, main: 'src/pulumi.ts' });
  const steps = parse(files.get('.github/workflows/ci.yml')!).jobs.manifests.steps.map((s: any) => s.run).filter(Boolean);
  expect(steps).toEqual(['npm ci --omit=optional', 'npm run synth', 'npm test -- --ci', 'npx bulwark check dist/']);
  const app = files.get('src/app.ts')!;
  expect(files.get('test/app.test.ts')).toContain("import 'bulwark/testing';");
  expect(app).toContain("export const REGISTRY = 'registry.example.com/payments';");
  if (template === 'platform-cluster') {
    expect(app).toContain("from 'bulwark/blueprint'");
    expect(app).toContain("cluster.addTeam('payments-ns', { namespaces: ['payments-ns'], group: 'oidc:payments-ns' })");
    return;
  }
  expect(app).toContain("from 'bulwark'");
  expect(app).toContain("new IsolatedNamespace(this, 'namespace', { name: 'payments-ns' })");
  expect(app).toContain(`Image.pinned('registry.example.com/payments/api', '${PLACEHOLDER_DIGEST}')`);
});

test('each template uses its construct; the sensitive service runs on a DedicatedNodePool', () => {
  const construct = (template: string) => renderTemplate({
    template, dir: cwd, name: 'app', namespace: 'app', registry: 'r.example.com', image: 'r.example.com/app', digest: PLACEHOLDER_DIGEST,
    host: 'app.example.com', kubernetesVersion: '1.36', bulwarkSpec: '^0.1.0',
  }).get('src/app.ts')!.match(/new (Secure\w+|ClusterBlueprint)\(/)![1];
  expect(Object.fromEntries(TEMPLATES.map((t) => [t, construct(t)]))).toEqual({
    'cron-job': 'SecureCronJob', 'platform-cluster': 'ClusterBlueprint', 'sensitive-service': 'SecureDeployment', 'stateful-service': 'SecureStatefulSet',
    'web-service': 'SecureDeployment', worker: 'SecureDeployment',
  });
  const sensitive = renderTemplate({
    template: 'sensitive-service', dir: cwd, name: 'app', namespace: 'app', registry: 'r.example.com', image: 'r.example.com/app', digest: PLACEHOLDER_DIGEST,
    host: 'app.example.com', kubernetesVersion: '1.36', bulwarkSpec: '^0.1.0',
  }).get('src/app.ts')!;
  expect(sensitive).toContain('new DedicatedNodePool(');
  expect(sensitive).toContain('sensitive: true');
});

test('writes the project with defaults from the directory name, and says what to run next', async () => {
  const r = await initIn(['worker', 'Billing Worker', '--yes', '--bulwark', '^0.1.0']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const dir = path.join(cwd, 'Billing Worker');
  expect(r.stdout).toContain('template worker for "billing-worker" (namespace billing-worker)');
  expect(r.stdout).toContain('npm install');
  expect(r.stdout).toContain('placeholder digest');
  expect(ls(dir)).toEqual(['.github', '.gitignore', 'Pulumi.yaml', 'README.md', 'cdk8s.yaml', 'jest.config.js', 'package.json', 'src', 'test', 'tsconfig.json']);
  const app = fs.readFileSync(path.join(dir, 'src', 'app.ts'), 'utf8');
  expect(app).toContain("export const REGISTRY = 'registry.example.com/billing-worker';");
  expect(app).toContain("export const KUBERNETES_VERSION = '1.36';");
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies.bulwark).toBe('^0.1.0');
});

test('platform-cluster names its first team "apps" unless --namespace says otherwise', async () => {
  const r = await initIn(['platform-cluster', 'prod-eu', '--yes']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('template platform-cluster for "prod-eu" (namespace apps)');
  expect(r.stdout).not.toContain('placeholder digest');
  expect(fs.readFileSync(path.join(cwd, 'prod-eu', 'src', 'app.ts'), 'utf8')).toContain("cluster.addTeam('apps'");
});

test('--bulwark: a tarball or directory becomes an absolute file: dependency; a missing path is refused', async () => {
  fs.writeFileSync(path.join(cwd, 'bulwark-0.1.0.tgz'), '');
  expect((await initIn(['cron-job', 'a', '--yes', '--bulwark', './bulwark-0.1.0.tgz'])).code).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(cwd, 'a', 'package.json'), 'utf8')).dependencies.bulwark).toBe(`file:${path.join(cwd, 'bulwark-0.1.0.tgz')}`);
  const missing = await initIn(['cron-job', 'b', '--yes', '--bulwark', 'file:../nowhere.tgz']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('does not exist');
  expect(ls(path.join(cwd, 'b'))).toBeUndefined();
  // The default is the published package at this version.
  await initIn(['cron-job', 'c', '--yes']);
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  expect(JSON.parse(fs.readFileSync(path.join(cwd, 'c', 'package.json'), 'utf8')).dependencies[own.name]).toBe(`^${own.version}`);
});

test.each([
  [['web-service', 'x', '--name', 'My_App'], '--name "My_App" must be lower-case letters'],
  [['web-service', 'x', '--name=-app'], 'starting and ending with a letter or digit'],
  [['web-service', 'x', '--name', 'a'.repeat(MAX_APP_NAME_LENGTH + 1)], `at most ${MAX_APP_NAME_LENGTH}`],
  [['web-service', 'x', '--namespace', 'Team.A'], '--namespace "Team.A" must be lower-case letters'],
  [['web-service', 'x', '--namespace', 'default'], 'is a system namespace'],
  [['web-service', 'x', '--namespace', 'kube-system'], 'is a system namespace'],
  [['web-service', 'x', '--registry', 'https://registry.example.com'], 'is not a registry host'],
  [['web-service', 'x', '--image', 'Registry.example.com/x/x'], 'is not an image repository'],
  [['web-service', 'x', '--registry', 'registry.example.com/team', '--image', 'docker.io/library/nginx'], 'is not in --registry "registry.example.com/team"'],
  [['web-service', 'x', '--image', 'registry.example.com/x/x@sha256:abc'], 'is not sha256: followed by 64'],
  [['web-service', 'x', '--host', 'https://x.example.com/'], '--host "https://x.example.com/" is not a DNS name'],
  [['web-service', 'x', '--kubernetes-version', '1.20'], '--kubernetes-version'],
  [['web-service', 'x', '--kubernetes-version', 'latest'], '--kubernetes-version'],
  [['nginx', 'x'], 'unknown template "nginx": use cron-job, platform-cluster, sensitive-service, stateful-service, web-service, worker'],
  [['web-service', 'x', 'y'], 'too many arguments: y'],
  [['web-service', 'x', '--colour'], "Unknown option '--colour'"],
  [['web-service', 'x', '--name'], "Option '--name <value>' argument missing"],
])('refuses %j before writing anything', async (args, message) => {
  const r = await initIn(['--yes', ...args]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(message);
  expect(r.stderr).toContain('bulwark init --help');
  expect(ls(cwd)).toEqual([]);
});

test('names are RFC 1123 labels; a directory name is made into one when it can be', () => {
  expect(dnsLabelProblem('payments-api')).toBeUndefined();
  expect(dnsLabelProblem('a'.repeat(63))).toBeUndefined();
  expect(dnsLabelProblem('a'.repeat(64))).toContain('at most 63');
  for (const bad of ['', 'Payments', 'pay_ments', 'pay.ments', '-pay', 'pay-', 'päy']) expect(dnsLabelProblem(bad)).toBeDefined();
  expect(nameFromDirectory('/src/My_Service.v2')).toBe('my-service-v2');
  expect(nameFromDirectory('/src/__')).toBeUndefined();
  expect(nameFromDirectory(`/src/${'x'.repeat(50)}`)).toBe('x'.repeat(MAX_APP_NAME_LENGTH));
});

test('a directory whose name gives no Kubernetes name needs --name when nobody can be asked', async () => {
  fs.mkdirSync(path.join(cwd, '__'));
  const r = await initIn(['worker', '__', '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('the directory name "__" gives no Kubernetes name: pass --name NAME');
  expect(ls(path.join(cwd, '__'))).toEqual([]);
  expect((await initIn(['worker', '__', '--yes', '--name', 'jobs'])).code).toBe(0);
});

test('without a template and nobody to ask, it names the templates instead of prompting', async () => {
  const r = await initIn([]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('name a template: cron-job, platform-cluster, sensitive-service');
});

describe('prompts, only on a terminal and never with --yes', () => {
  const terminal = (answers: string) => {
    const stdin = new PassThrough();
    stdin.end(answers);
    const promptOutput = new PassThrough();
    let asked = '';
    promptOutput.on('data', (d) => { asked += d; });
    return { io: { stdin, promptOutput, interactive: true } as InitIo, asked: () => asked };
  };

  test('asks for the template (by number or name) and for a name the directory cannot give; nothing else', async () => {
    fs.mkdirSync(path.join(cwd, '__'));
    const t2 = terminal('5\norders\n');
    const r2 = await init([], { cwd: path.join(cwd, '__'), ...t2.io });
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    // After the menu: the two questions and nothing else (registry, image, namespace... have defaults).
    expect(t2.asked().split('\n').pop()).toBe(`Template (name or number): App name (lower-case letters, digits, "-"; at most ${MAX_APP_NAME_LENGTH}): `);
    expect(r2.stdout).toContain('template web-service for "orders"');
    const t3 = terminal('cron-job\n');
    const r3 = await init([], { cwd: path.join(cwd, 'reports'), ...t3.io });
    expect(r3.code).toBe(0);
    expect(t3.asked()).not.toContain('App name');
    expect(r3.stdout).toContain('template cron-job for "reports"');
  });

  test('--yes asks nothing even on a terminal', async () => {
    const t = terminal('web-service\n');
    const r = await initIn(['--yes'], t.io);
    expect(r.code).toBe(2);
    expect(t.asked()).toBe('');
  });

  test('an invalid answer is refused like an invalid option, before writing', async () => {
    fs.mkdirSync(path.join(cwd, '__'));
    const t = terminal('Bad_Name\n');
    const r = await init(['worker'], { cwd: path.join(cwd, '__'), ...t.io });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name "Bad_Name" must be lower-case letters');
    expect(ls(path.join(cwd, '__'))).toEqual([]);
  });
});

describe('an existing directory', () => {
  test('a non-empty one is refused, naming what is there, and left as it was', async () => {
    const dir = path.join(cwd, 'svc');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"mine"}');
    const r = await initIn(['web-service', 'svc', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not empty (package.json)');
    expect(r.stderr).toContain('--force');
    expect(ls(dir)).toEqual(['package.json']);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('{"name":"mine"}');
  });

  test('an empty one, or a new repository with only .git, is used', async () => {
    fs.mkdirSync(path.join(cwd, 'empty'));
    fs.mkdirSync(path.join(cwd, 'repo', '.git'), { recursive: true });
    expect((await initIn(['worker', 'empty', '--yes'])).code).toBe(0);
    expect((await initIn(['worker', 'repo', '--yes'])).code).toBe(0);
    expect(ls(path.join(cwd, 'repo'))).toContain('.git');
  });

  test('--force writes into it, lists every file it replaces and keeps the others', async () => {
    const dir = path.join(cwd, 'svc');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"mine"}');
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine');
    fs.writeFileSync(path.join(dir, 'NOTES.txt'), 'keep me');
    const r = await initIn(['web-service', 'svc', '--yes', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Replaced 2 existing files: package.json, README.md');
    expect(r.stdout).toContain('  package.json   (replaced)');
    expect(fs.readFileSync(path.join(dir, 'NOTES.txt'), 'utf8')).toBe('keep me');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name).toBe('svc');
  });

  test('a file where the directory or one of its files should be is refused, even with --force', async () => {
    fs.writeFileSync(path.join(cwd, 'svc'), '');
    const r = await initIn(['worker', 'svc', '--yes', '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exists and is not a directory');
    fs.mkdirSync(path.join(cwd, 'other', 'package.json'), { recursive: true });
    const r2 = await initIn(['worker', 'other', '--yes', '--force']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('package.json exists and is not a file: nothing was written');
    expect(ls(path.join(cwd, 'other'))).toEqual(['package.json']);
  });
});

test('bulwark usage names init', () => {
  expect(run(['--help']).stdout).toMatch(/^  init TEMPLATE \[DIR\] +start a project from a template$/m);
});
