import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { bulwark, context, npmInstall, ok, sh, timing } from './helpers';

/**
 * One template's golden path, as an app team walks it in a new repository: `bulwark init` with
 * the installed bin, npm install (the tarball and every dependency from the npm cache), synth,
 * the project's own tests on the first run and again under --ci, and `bulwark check dist/`.
 * `withPulumi` installs the optional Pulumi SDK too, type-checks the Pulumi program and runs it
 * under Pulumi's mocks; the other templates install with --omit=optional to keep the suite short.
 */
export function goldenPath(template: string, options: { withPulumi?: boolean } = {}): void {
  // The app's name comes from the directory's, as when a team runs init in its new repository.
  const name = `my-${template}`;
  let dir: string;
  const step = (label: string, fn: () => void) => test(label, () => {
    const start = Date.now();
    fn();
    timing(`${name}: ${label}`, Date.now() - start);
  });

  beforeAll(() => {
    dir = path.join(context().work, 'projects', name);
  });

  step('bulwark init writes the project, asking nothing with --yes', () => {
    const r = ok(bulwark(['init', template, dir, '--yes', '--bulwark', context().tarball], context().work), 'bulwark init');
    expect(r.stdout).toContain(`template ${template} for "${name}"`);
    for (const f of ['package.json', 'src/app.ts', 'src/main.ts', 'src/pulumi.ts', 'test/app.test.ts', 'cdk8s.yaml', 'Pulumi.yaml', 'README.md', '.gitignore', '.github/workflows/ci.yml']) {
      expect(fs.existsSync(path.join(dir, f))).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies.bulwark).toBe(`file:${context().tarball}`);
    // The CI workflow runs synth, the tests and the check on the written YAML.
    const steps = parse(fs.readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).jobs.manifests.steps.map((s: any) => s.run).filter(Boolean);
    expect(steps).toEqual(expect.arrayContaining(['npm run synth', 'npm test -- --ci', 'npx bulwark check dist/']));
  });

  step(`npm install from the npm cache${options.withPulumi ? ' (with the optional Pulumi SDK)' : ' (--omit=optional)'}`, () => {
    npmInstall(dir, options.withPulumi ? [] : ['--omit=optional']);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'bulwark', 'dist-js', 'constructs', 'index.js'))).toBe(true);
  });

  step('npm run synth writes the checked manifests to dist/', () => {
    ok(sh('npm', ['run', 'synth'], dir), 'npm run synth');
    const written = fs.readdirSync(path.join(dir, 'dist'));
    expect(written.length).toBeGreaterThan(0);
    for (const f of written) expect(f).toMatch(/\.k8s\.yaml$/);
  });

  step('npm test passes on the first run, writing the snapshot', () => {
    const r = ok(sh('npm', ['test'], dir), 'npm test');
    expect(r.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(r.stderr).toContain('1 snapshot written');
    expect(fs.readdirSync(path.join(dir, 'test', '__snapshots__'))).toEqual(['app.test.ts.snap']);
  });

  step('npm test -- --ci passes again against the written snapshot, as the CI workflow runs it', () => {
    const r = ok(sh('npm', ['test', '--', '--ci'], dir), 'npm test -- --ci');
    expect(r.stderr).toMatch(/Snapshots:\s+1 passed, 1 total/);
  });

  step('npx bulwark check dist/ finds nothing', () => {
    const r = ok(sh('npx', ['bulwark', 'check', 'dist/'], dir), 'npx bulwark check dist/');
    expect(r.stdout).toMatch(/^\d+ objects, 0 unwaived and 0 waived findings$/m);
  });

  if (options.withPulumi) {
    step('npm run typecheck covers the Pulumi program against the real SDK', () => {
      ok(sh('npm', ['run', 'typecheck'], dir), 'npm run typecheck');
    });

    step('the Pulumi program registers exactly the synthesized objects, each as its typed resource (Pulumi mocks, no engine)', () => {
      fs.writeFileSync(path.join(dir, 'pulumi-mocks.js'), PULUMI_MOCKS);
      const registered: Array<{ type: string; name: string; inputs: any }> = JSON.parse(ok(sh('node', ['pulumi-mocks.js'], dir), 'Pulumi program under mocks').stdout);
      const written = fs.readFileSync(path.join(dir, 'dist', `${name}.k8s.yaml`), 'utf8');
      const docs = written.split(/^---$/m).map((d) => parse(d)).filter(Boolean);
      const objects = registered.filter((r) => r.type.startsWith('kubernetes:'));
      // Typed: the resource type is the object's own group, version and kind, not a YAML blob.
      expect(objects.map((r) => r.type)).toEqual(objects.map((r) => `kubernetes:${r.inputs.apiVersion.includes('/') ? r.inputs.apiVersion : `core/${r.inputs.apiVersion}`}:${r.inputs.kind}`));
      const key = (o: any) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
      const byKey = (a: any, b: any) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
      expect(objects.map((r) => r.inputs).sort(byKey)).toEqual([...docs].sort(byKey));
      expect(registered.filter((r) => !r.type.startsWith('kubernetes:')).map((r) => r.type)).toEqual([`bulwark:index:Chart`]);
    });
  }
}

/** Runs src/pulumi.ts under Pulumi's runtime mocks and prints every resource it registered. */
const PULUMI_MOCKS = `
const pulumi = require('@pulumi/pulumi');
const seen = [];
pulumi.runtime.setMocks({
  newResource: (a) => { seen.push({ type: a.type, name: a.name, inputs: a.inputs }); return { id: a.name + '-id', state: a.inputs }; },
  call: (a) => a.inputs,
}, 'project', 'stack', false);
require('ts-node').register({ transpileOnly: true });
require('./src/pulumi.ts');
process.on('beforeExit', () => { if (!process.exitCode) { process.stdout.write(JSON.stringify(seen)); process.exitCode = 0; } });
`;
