/**
 * Runs the Pulumi program under Pulumi's runtime mocks and returns what it registered: type,
 * name, URN, inputs as the provider would receive them (secrets resolved), which inputs are
 * secret, the dependsOn URNs and the tier. No engine and no provider binary are involved.
 */
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../../policy';
import type { RegisteredObject } from '../../stacks/pulumi-program';

export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: KubeObject;
  readonly secretInputs: string[];
  readonly dependencies: string[];
  readonly tier?: string;
  readonly resource: pulumi.Resource;
}

/** Pulumi's wire form of a secret: { [SECRET_SIG]: SECRET_VALUE, value } (see @pulumi/pulumi's rpc). */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE = '1b47061264138c4ac30d75fd1eb44270';

/** The inputs as the provider would apply them: every secret envelope replaced by its value. */
export function unwrapSecrets(v: any): any {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === 'object') {
    if (v[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(v.value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((res) => o.apply((v) => { res(v); return v; }));

export async function captureProgram(config: Record<string, string> = {}, secretKeys: string[] = []): Promise<CapturedResource[]> {
  const inputs = new Map<string, { type: string; name: string; inputs: any }>();
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      inputs.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs) });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'bulwark', 'test', false);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const { runProgram } = require('../../stacks/pulumi-program') as typeof import('../../stacks/pulumi-program');
  const registered: RegisteredObject[] = runProgram();
  const urnOf = new Map<pulumi.Resource, string>();
  for (const r of registered) urnOf.set(r.resource, await resolve(r.resource.urn));
  const out: CapturedResource[] = [];
  for (const r of registered) {
    const urn = urnOf.get(r.resource)!;
    const type = urn.split('::')[2].split('$').pop()!;
    const name = urn.split('::')[3];
    const secretInputs: string[] = [];
    for (const [k, v] of Object.entries(r.object)) if (await pulumi.isSecret(pulumi.output(v))) secretInputs.push(k);
    const seen = inputs.get(`${type}::${name}`);
    out.push({ type, name, urn, inputs: seen?.inputs ?? r.object, secretInputs, dependencies: r.dependsOn.map((d) => urnOf.get(d)!), tier: r.tier, resource: r.resource });
  }
  // The chart components, as parents.
  for (const [key, v] of inputs) if (v.type === 'bulwark:index:Chart') out.push({ type: v.type, name: v.name, urn: key, inputs: {} as KubeObject, secretInputs: [], dependencies: [], resource: undefined as any });
  return out;
}
