/**
 * node -r ts-node/register/transpile-only tests/helpers/pulumi-dump.ts OUT.json [CLUSTER]
 * Runs the Pulumi program under Pulumi's mocks with a test configuration (the registry credentials
 * secret included; `bulwark:cluster` CLUSTER when given, else the program's default) and writes every registered Kubernetes resource's inputs, secrets resolved, in
 * the program's dependsOn order, for the real-cluster suite to apply.
 */
import * as fs from 'fs';
import { TIERS } from '../../stacks/pulumi-deploy';
import { captureProgram } from './pulumi-capture';

export const TEST_REGISTRY_CREDENTIALS = '{"auths":{"registry.example.com":{"auth":"ZTJlOmUyZQ=="}}}';

async function main(out: string, cluster?: string): Promise<void> {
  const config: Record<string, string> = { 'bulwark:registryCredentials': TEST_REGISTRY_CREDENTIALS, ...(cluster ? { 'bulwark:cluster': cluster } : {}) };
  const captured = await captureProgram(config, ['bulwark:registryCredentials']);
  const order: readonly string[] = TIERS;
  const resources = captured.filter((r) => r.type.startsWith('kubernetes:'))
    .sort((a, b) => order.indexOf(a.tier!) - order.indexOf(b.tier!))
    .map((r) => ({ urn: r.urn, tier: r.tier, dependencies: r.dependencies, inputs: r.inputs }));
  fs.writeFileSync(out, JSON.stringify(resources));
}

if (require.main === module) {
  main(process.argv[2], process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
}
