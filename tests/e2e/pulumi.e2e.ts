/**
 * The Pulumi deploy path as far as it can run here: the provider binary and the Node.js language
 * host are refused by the module proxy, so no `pulumi up` runs. Instead the exact inputs of every
 * resource the Pulumi program registers (captured through Pulumi's runtime mocks, secrets resolved
 * from test configuration) are server-side applied to the real API server in the program's
 * dependsOn order: all admitted with zero warnings, each applied only after what it depends on,
 * and the cluster then holds what the cdk8s path would make of the same objects.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../../policy';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { api, apply, comparable, pathOf } from './helpers/kube';

interface Dumped { urn: string; tier: string; dependencies: string[]; inputs: KubeObject }

// jest runs the suite from the repository root (rootDir); ESM modules have no __dirname.
const root = process.cwd();
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-pulumi-')), 'inputs.json');
execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'tests/helpers/pulumi-dump.ts'), out], {
  cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
});
const resources: Dumped[] = JSON.parse(fs.readFileSync(out, 'utf8'));

describe('the Pulumi program\'s registered inputs', () => {
  const applied: Array<{ r: Dumped; status: number; warnings: string[]; message: string }> = [];
  beforeAll(async () => {
    await ensureHttpRouteCrd(resources.map((r) => r.inputs));
    for (const r of resources) {
      const res = await api(`${await pathOf(r.inputs)}?fieldManager=bulwark-pulumi&force=true`, { method: 'PATCH', body: r.inputs, contentType: 'application/apply-patch+yaml' });
      applied.push({ r, status: res.status, warnings: res.warnings, message: res.body?.message ?? '' });
    }
  });

  test('cover every object of every shipped stack, plus the secret built from stack configuration', () => {
    const cdk8s = shippedStacks().flatMap((s) => s.objects);
    const id = (o: KubeObject) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    expect(resources.map((r) => id(r.inputs)).sort()).toEqual([...cdk8s.map(id), 'Secret storefront/storefront-registry'].sort());
    console.log(`Pulumi path: ${resources.length} resources applied in dependsOn order`);
  });

  test('are all admitted, with zero warnings, each after everything it depends on', () => {
    expect(applied.filter((a) => a.status !== 200 && a.status !== 201).map((a) => `${a.r.urn}: ${a.status} ${a.message}`)).toEqual([]);
    expect(applied.flatMap((a) => a.warnings.map((w) => `${a.r.urn}: ${w}`))).toEqual([]);
    const position = new Map(resources.map((r, i) => [r.urn, i]));
    for (const r of resources) for (const d of r.dependencies) expect(position.get(d)!).toBeLessThan(position.get(r.urn)!);
  });

  test('leave the cluster holding what the cdk8s path makes of the same objects', async () => {
    const differences: string[] = [];
    for (const o of shippedStacks().flatMap((s) => s.objects)) {
      const stored = await api(await pathOf(o));
      const cdk8s = await apply(o, true); // what a server-side apply of the cdk8s object would leave
      if (stored.status !== 200 || cdk8s.status !== 200) { differences.push(`${o.kind} ${o.metadata?.name}: ${stored.status}/${cdk8s.status}`); continue; }
      if (JSON.stringify(comparable(stored.body)) !== JSON.stringify(comparable(cdk8s.body))) differences.push(`${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`);
    }
    expect(differences).toEqual([]);
  });
});
