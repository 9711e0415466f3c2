import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Environment } from '../constructs';
import { buildApp } from './app';
import { registerApp, registryCredentials, RegisteredObject } from './pulumi-deploy';
import { helloCluster } from './reference/hello';

export * from './pulumi-deploy';

/**
 * The Pulumi program (stacks/pulumi.ts runs it; the tests run it under Pulumi's mocks). Stack
 * configuration (Pulumi.dev.yaml, Pulumi.prod.yaml):
 *   bulwark:cluster              which reference cluster: acme (default) or hello
 *   bulwark:profile              production (default) or development
 *   bulwark:renderDir            write manifests there instead of applying them
 *   bulwark:registryCredentials  (secret) .dockerconfigjson for the storefront's pull secret
 */
export function runProgram(): RegisteredObject[] {
  const config = new pulumi.Config('bulwark');
  const profile = config.get('profile') ?? 'production';
  if (profile !== 'production' && profile !== 'development') throw new Error(`bulwark:profile "${profile}" is not "production" or "development".`);
  const renderDir = config.get('renderDir');
  const provider = renderDir ? new k8s.Provider('render', { renderYamlToDirectory: renderDir }) : undefined;
  const credentials = config.getSecret('registryCredentials');
  const cluster = config.get('cluster') ?? 'acme';
  if (cluster === 'hello') return registerApp(helloCluster(), { provider });
  if (cluster !== 'acme') throw new Error(`bulwark:cluster "${cluster}" is not a reference cluster: use "acme" or "hello".`);
  return registerApp(buildApp({ environment: profile as Environment }), {
    provider,
    extra: credentials ? [{ chart: 'storefront', object: registryCredentials('storefront', 'storefront-registry', credentials) }] : [],
  });
}
