import * as fs from 'fs';
import * as path from 'path';
import { bulwark, context, ok, sh } from './helpers';

/**
 * The package as a team gets it from `npm install`: what the tarball holds, the installed bin
 * without a build step, and the public entries (., ./policy, ./testing) from require and import.
 */
const TEMPLATES = ['cron-job', 'platform-cluster', 'sensitive-service', 'stateful-service', 'web-service', 'worker'];

test('the tarball holds the compiled library, blueprint, Pulumi deploy and CLI with declarations, the templates and the rule docs; no sources, tests, bench or reference stacks', () => {
  const { pack } = context();
  const files = pack.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining([
    'package.json', 'README.md', 'docs/rules.md',
    'dist-js/cli/bulwark.js', 'dist-js/cli/init.js',
    'dist-js/constructs/index.js', 'dist-js/constructs/index.d.ts',
    'dist-js/policy/index.js', 'dist-js/policy/index.d.ts', 'dist-js/policy/testing.js', 'dist-js/policy/testing.d.ts',
    'dist-js/stacks/blueprint.js', 'dist-js/stacks/blueprint.d.ts', 'dist-js/stacks/pulumi-deploy.js', 'dist-js/stacks/pulumi-deploy.d.ts',
    ...TEMPLATES.map((t) => `templates/${t}/template.json`),
    'templates/_shared/gitignore', 'templates/_shared/github/workflows/ci.yml',
  ]));
  const outside = files.filter((f) => !/^(package\.json|README\.md|docs\/rules\.md|dist-js\/(constructs|policy|cli)\/.*\.(js|d\.ts)|dist-js\/stacks\/(blueprint|pulumi-deploy)\.(js|d\.ts)|templates\/.+)$/.test(f));
  expect(outside).toEqual([]);
  expect(files.filter((f) => /(^|\/)(tests?|bench|fixtures)\//.test(f) && !f.startsWith('templates/'))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('templates/')))).toEqual([]);
  // A library and a CLI, not a toolchain: well under a megabyte packed.
  expect(pack.size).toBeLessThan(1024 * 1024);
});

test('the installed bin runs with no build step: rules, explain, init --help', () => {
  const { tools } = context();
  const rules = ok(sh('npx', ['bulwark', 'rules'], tools), 'npx bulwark rules');
  expect(rules.stdout).toMatch(/^pod-security\/privileged\s+critical/m);
  expect(rules.stdout).toMatch(/^images\/digest-pinned\s/m);
  const explain = ok(bulwark(['explain', 'images/digest-pinned'], tools), 'bulwark explain');
  expect(explain.stdout).toMatch(/^fix\b.*: /m);
  const help = ok(bulwark(['init', '--help'], tools), 'bulwark init --help');
  for (const t of TEMPLATES) expect(help.stdout).toContain(`  ${t} `);
  expect(ok(bulwark(['--help'], tools), 'bulwark --help').stdout).toMatch(/^  init TEMPLATE \[DIR\] +start a project from a template$/m);
  expect(ok(bulwark(['--version'], tools), 'bulwark --version').stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(tools, 'node_modules', 'bulwark', 'package.json'), 'utf8')).version);
});

test('the public entries resolve from require and import, with their declarations; internals are not exported', () => {
  const { tools } = context();
  const cjs = ok(sh('node', ['-e', `
    const b = require('bulwark'), p = require('bulwark/policy'), t = require('bulwark/testing'), bp = require('bulwark/blueprint');
    console.log([typeof b.BulwarkApp, typeof b.SecureWorkload, typeof b.SecureDeployment, typeof b.IsolatedNamespace, typeof b.DedicatedNodePool,
      p.CATALOG.length > 0, typeof t.bulwarkMatchers.toHaveNoFindings, typeof bp.ClusterBlueprint].join(' '));
  `], tools), 'require');
  expect(cjs.stdout.trim()).toBe('function function function function function true function function');
  const esm = ok(sh('node', ['--input-type=module', '-e', `
    import { BulwarkApp } from 'bulwark'; import { CATALOG } from 'bulwark/policy'; import 'bulwark/testing';
    console.log(typeof BulwarkApp, CATALOG.length > 0);
  `], tools), 'import');
  expect(esm.stdout.trim()).toBe('function true');
  const deep = sh('node', ['-e', "require('bulwark/dist-js/policy/engine')"], tools);
  expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  // Each entry's declarations, where both TypeScript resolutions look (exports and typesVersions).
  const root = path.join(tools, 'node_modules', 'bulwark');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const entry of ['.', './policy', './testing', './blueprint', './pulumi']) expect(fs.existsSync(path.join(root, pkg.exports[entry].types))).toBe(true);
  for (const [, [types]] of Object.entries<string[]>(pkg.typesVersions['*'])) expect(fs.existsSync(path.join(root, types))).toBe(true);
  // The rule docs that error messages point to are in the package.
  expect(fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8')).toContain('### images/digest-pinned');
});

test('cdk8s and constructs are peers: the app, Bulwark and the tests share one copy of each', () => {
  const { tools } = context();
  const r = ok(sh('node', ['-e', `
    const here = require.resolve('cdk8s'), fromBulwark = require.resolve('cdk8s', { paths: [require.resolve('bulwark')] });
    console.log(here === fromBulwark);
  `], tools), 'resolve cdk8s');
  expect(r.stdout.trim()).toBe('true');
});
