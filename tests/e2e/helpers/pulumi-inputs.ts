/**
 * The Pulumi deploy path as far as it runs here (no provider binary, no language host): the exact
 * inputs of every resource the Pulumi program registers, captured under Pulumi's runtime mocks
 * (tests/helpers/pulumi-dump.ts), server-side applied in the program's dependsOn order, and the
 * cluster they leave compared with what the cdk8s path would make of the same objects. Shared by
 * pulumi.e2e.ts (acme, on the suite's API server) and hello.e2e.ts (on an API server of its own).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../../../policy';
import { ApiResult, clientFor } from './kube';

export interface PulumiInput { urn: string; tier: string; dependencies: string[]; inputs: KubeObject }
type Client = Pick<ReturnType<typeof clientFor>, 'api' | 'pathOf' | 'apply'>;

/** Kind, namespace and name: how these suites name an object in a failure. */
export const objectId = (o: KubeObject) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** The registered inputs, secrets resolved from test config, in dependsOn order; `cluster` sets bulwark:cluster. */
export function pulumiInputs(cluster?: string): PulumiInput[] {
  // jest runs the suite from the repository root (rootDir); ESM modules have no __dirname.
  const root = process.cwd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-pulumi-'));
  const out = path.join(dir, 'inputs.json');
  try {
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'tests/helpers/pulumi-dump.ts'), out, ...(cluster ? [cluster] : [])], {
      cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Server-side applies each input in order, as Pulumi's field manager would. */
export async function applyPulumiInputs(client: Client, resources: readonly PulumiInput[]): Promise<Array<{ r: PulumiInput; result: ApiResult }>> {
  const applied: Array<{ r: PulumiInput; result: ApiResult }> = [];
  for (const r of resources) {
    const result = await client.api(`${await client.pathOf(r.inputs)}?fieldManager=bulwark-pulumi&force=true`, { method: 'PATCH', body: r.inputs, contentType: 'application/apply-patch+yaml' });
    applied.push({ r, result });
  }
  return applied;
}

/** Each resource that comes before one of its dependencies. */
export function outOfOrder(resources: readonly PulumiInput[]): string[] {
  const position = new Map(resources.map((r, i) => [r.urn, i]));
  return resources.flatMap((r) => r.dependencies.filter((d) => !(position.get(d)! < position.get(r.urn)!)).map((d) => `${r.urn} before its dependency ${d}`));
}

/** What a stored object says, without what the server adds on its own. */
function comparable(o: any): any {
  const { metadata, status: _status, ...rest } = o;
  const { managedFields: _m, resourceVersion: _r, uid: _u, creationTimestamp: _c, generation: _g, ...meta } = metadata ?? {};
  return { ...rest, metadata: meta };
}

/** Each object the cluster holds differently from what a server-side apply of the cdk8s object would leave. */
export async function differencesFromCdk8s(client: Client, objects: readonly KubeObject[]): Promise<string[]> {
  const differences: string[] = [];
  for (const o of objects) {
    const stored = await client.api(await client.pathOf(o));
    const cdk8s = await client.apply(o, true); // a dry run: nothing is changed
    if (stored.status !== 200 || cdk8s.status !== 200) differences.push(`${objectId(o)}: ${stored.status}/${cdk8s.status}`);
    else if (JSON.stringify(comparable(stored.body)) !== JSON.stringify(comparable(cdk8s.body))) differences.push(objectId(o));
  }
  return differences;
}
