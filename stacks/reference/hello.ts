import { Image, Port, Probe, SecureDeployment } from '../../constructs';
import { ClusterBlueprint } from '../blueprint';
import { INGRESS_NGINX } from './storefront';

/**
 * The reference minimal cluster: one team, one namespace, one web service behind the ingress,
 * with every platform default (guardrails enforced, no control-plane files).
 */
export function helloCluster(options: { readonly outdir?: string } = {}): ClusterBlueprint {
  const cluster = new ClusterBlueprint({
    name: 'hello', kubernetesVersion: '1.36', environment: 'production', trustedRegistries: ['registry.example.com/hello'], outdir: options.outdir,
  });
  const team = cluster.addTeam('hello', { namespaces: ['hello'], group: 'oidc:hello' });
  const web = new SecureDeployment(team, 'web', {
    namespace: team.ns('hello'),
    containers: [{
      name: 'web',
      image: Image.pinned('registry.example.com/hello/web', `sha256:${'8c'.repeat(32)}`),
      ports: [Port.tcp(8080, 'http')],
      liveness: Probe.fromHttpGet('/healthz'),
      readiness: Probe.fromHttpGet('/ready'),
    }],
  });
  web.exposeViaIngress({ host: 'hello.example.com', controller: INGRESS_NGINX, tlsSecretName: 'hello-tls' });
  return cluster;
}
