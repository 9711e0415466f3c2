import { Construct } from 'constructs';
import {
  Gateway, Image, IngressController, IsolatedNamespace, Port, Probe, SecureConfigMap, SecureCronJob,
  SecureDaemonSet, SecureDeployment, SecureStatefulSet,
} from '../../constructs';
import { TeamStack, TeamStackProps } from '../blueprint';

/** Where the storefront's images come from: the chart trusts this path only. */
export const STOREFRONT_REGISTRY = 'registry.example.com/storefront';

const image = (name: string, hex: string) => Image.pinned(`${STOREFRONT_REGISTRY}/${name}`, `sha256:${hex.repeat(64 / hex.length)}`);

/** The platform's ingress controller and public gateway (the pods the NetworkPolicies admit). */
export const INGRESS_NGINX = IngressController.of({ className: 'nginx', namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
export const PUBLIC_GATEWAY = Gateway.of({ name: 'public', namespace: 'gateways', httpsListener: 'https', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });

/**
 * An app team's stack that uses every SecureWorkload feature: an autoscaled web front end with
 * configuration from an immutable ConfigMap, published through an Ingress (TLS) and a Gateway
 * route; a Redis cache as a StatefulSet with a claim per replica; a nightly report CronJob in its
 * team's time zone; and a node metrics DaemonSet. Nothing in it is waived. A team of the
 * reference cluster (stacks/reference/acme.ts).
 */
export class StorefrontStack extends TeamStack {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly frontend: SecureDeployment;
  public readonly cache: SecureStatefulSet;
  public readonly report: SecureCronJob;
  public readonly nodeMetrics: SecureDaemonSet;

  constructor(scope: Construct, id: string, props: Partial<TeamStackProps> = {}) {
    super(scope, id, { trustedRegistries: [STOREFRONT_REGISTRY], namespaces: ['storefront'], group: 'oidc:storefront', ...props });
    this.teamNamespace = this.ns('storefront');
    const ns = this.teamNamespace;

    const settings = new SecureConfigMap(this, 'settings', { namespace: ns, data: { 'storefront.yaml': 'currency: EUR\nlocale: de-DE\n', LOG_LEVEL: 'info' } });
    const http = Port.tcp(8080, 'http');
    this.frontend = new SecureDeployment(this, 'frontend', {
      namespace: ns,
      autoscaling: { minReplicas: 2, maxReplicas: 8, cpuUtilization: 70 },
      podMetadata: { labels: { team: 'storefront' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
      imagePullSecrets: ['storefront-registry'],
      servicePorts: [{ port: 80, targetPort: http }],
      containers: [{
        name: 'frontend',
        image: image('frontend', '1a2b'),
        ports: [http, Port.tcp(9090, 'metrics')],
        configFiles: [{ config: settings, mountPath: '/etc/storefront' }],
        configEnv: { LOG_LEVEL: { config: settings, key: 'LOG_LEVEL' } },
        liveness: Probe.fromHttpGet('/healthz', { port: 8080 }),
        readiness: Probe.fromHttpGet('/ready', { port: 8080 }),
      }],
    });
    this.frontend.exposeViaIngress({ host: 'shop.example.com', controller: INGRESS_NGINX, tlsSecretName: 'storefront-tls' });
    this.frontend.exposeViaRoute({ hostnames: ['www.example.com'], gateway: PUBLIC_GATEWAY });

    const redis = Port.tcp(6379, 'redis');
    this.cache = new SecureStatefulSet(this, 'cache', {
      namespace: ns,
      containers: [{
        name: 'redis',
        image: image('redis', '3c4d'),
        args: ['--dir', '/data', '--appendonly', 'yes'],
        ports: [redis],
        persistentPaths: [{ name: 'data', path: '/data', size: '5Gi' }],
        resources: { memory: { request: '512Mi', limit: '512Mi' } },
        liveness: Probe.fromTcpSocket({ port: 6379 }),
        readiness: Probe.fromCommand(['redis-cli', 'ping']),
      }],
    });
    this.cache.allowFrom(this.frontend, redis);

    this.report = new SecureCronJob(this, 'nightly-report', {
      namespace: ns,
      schedule: '30 2 * * *',
      cronJob: { timeZone: 'Europe/Berlin', activeDeadlineSeconds: 1800 },
      containers: [{ name: 'report', image: image('report', '5e6f'), args: ['--since', '24h'] }],
    });
    this.report.allowTo(this.cache, redis);

    this.nodeMetrics = new SecureDaemonSet(this, 'node-metrics', {
      namespace: ns,
      containers: [{
        name: 'exporter',
        image: image('node-metrics', '7a8b'),
        ports: [Port.tcp(9100, 'metrics')],
        resources: { cpu: { request: '50m', limit: '50m' }, memory: { request: '64Mi', limit: '64Mi' } },
        liveness: Probe.fromTcpSocket({ port: 9100 }),
        readiness: Probe.fromHttpGet('/metrics', { port: 9100 }),
      }],
    });
  }
}
