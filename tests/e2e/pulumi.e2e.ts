/**
 * The Pulumi deploy path as far as it can run here: the provider binary and the Node.js language
 * host are refused by the module proxy, so no `pulumi up` runs. Instead the exact inputs of every
 * resource the Pulumi program registers (captured through Pulumi's runtime mocks, secrets resolved
 * from test configuration) are server-side applied to the real API server in the program's
 * dependsOn order: all admitted with zero warnings, each applied only after what it depends on,
 * and the cluster then holds what the cdk8s path would make of the same objects.
 */
import { KubeObject } from '../../policy';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { api, ApiResult, apply, pathOf } from './helpers/kube';
import { applyPulumiInputs, differencesFromCdk8s, objectId, outOfOrder, PulumiInput, pulumiInputs } from './helpers/pulumi-inputs';

const resources = pulumiInputs();

describe('the Pulumi program\'s registered inputs', () => {
  let applied: Array<{ r: PulumiInput; result: ApiResult }> = [];
  beforeAll(async () => {
    await ensureHttpRouteCrd(resources.map((r) => r.inputs));
    applied = await applyPulumiInputs({ api, pathOf, apply }, resources);
  });

  test('cover every object of every shipped stack, plus the secret built from stack configuration', () => {
    const cdk8s = shippedStacks().flatMap((s) => s.objects);
    expect(resources.map((r) => objectId(r.inputs)).sort()).toEqual([...cdk8s.map(objectId), 'Secret storefront/storefront-registry'].sort());
    console.log(`Pulumi path: ${resources.length} resources applied in dependsOn order`);
  });

  test('are all admitted, with zero warnings, each after everything it depends on', () => {
    expect(applied.filter((a) => a.result.status !== 200 && a.result.status !== 201).map((a) => `${a.r.urn}: ${a.result.status} ${a.result.body?.message ?? ''}`)).toEqual([]);
    expect(applied.flatMap((a) => a.result.warnings.map((w) => `${a.r.urn}: ${w}`))).toEqual([]);
    expect(resources.some((r) => r.dependencies.length > 0)).toBe(true);
    expect(outOfOrder(resources)).toEqual([]);
  });

  test('leave the cluster holding what the cdk8s path makes of the same objects', async () => {
    expect(await differencesFromCdk8s({ api, pathOf, apply }, shippedStacks().flatMap((s) => s.objects) as KubeObject[])).toEqual([]);
  });
});
