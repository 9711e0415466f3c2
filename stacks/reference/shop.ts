import { Construct } from 'constructs';
import {
  AuthenticationConfiguration, DedicatedNodePool, Image, IsolatedNamespace, Port, Probe, SecureConfigMap, SecureCronJob, SecureDeployment,
  SecureStatefulSet, SecureWorkload,
} from '../../constructs';
import { PlatformStack, TeamStack, TeamStackProps } from '../blueprint';
import { INGRESS_NGINX } from './storefront';

/** Digests of the reference images (immutable: the bytes that were reviewed). */
export const REFERENCE_IMAGES = {
  web: Image.pinned('registry.example.com/shop/web', 'sha256:4c5f2d5e5b0c7a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f'),
  api: Image.pinned('registry.example.com/shop/api', 'sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b'),
  db: Image.pinned('registry.example.com/shop/postgres', 'sha256:1f2e3d4c5b6a79881726354453627181920a1b2c3d4e5f60718293a4b5c6d7e8'),
  worker: Image.pinned('registry.example.com/shop/worker', `sha256:${'5d'.repeat(32)}`),
  nightly: Image.pinned('registry.example.com/shop/nightly', `sha256:${'6e'.repeat(32)}`),
};

export interface ShopStackProps extends Partial<TeamStackProps> {
  /** The platform whose dedicated pool "shop-data" runs the database. */
  readonly platform: PlatformStack;
  /**
   * Where the team signs in: its developers group is bound with the identity provider's prefix.
   * @default - the group "shop-developers" as it is
   */
  readonly signIn?: AuthenticationConfiguration;
}

/**
 * The shop team of the reference cluster, in two namespaces:
 *   web (frontend, behind the ingress, TLS) -> api (backend, autoscaled) -> db (StatefulSet, a claim
 *   per replica, on the dedicated pool "shop-data"); a queue worker and a nightly CronJob read the
 *   database; the api calls the payments team's service, which both teams declare.
 */
export class ShopStack extends TeamStack {
  public readonly frontend: IsolatedNamespace;
  public readonly backend: IsolatedNamespace;
  public readonly web: SecureWorkload;
  public readonly api: SecureWorkload;
  public readonly worker: SecureWorkload;
  public readonly nightly: SecureWorkload;
  public readonly db: SecureWorkload;
  /** Nodes that run the database and nothing else. */
  public readonly dataPool: DedicatedNodePool;

  constructor(scope: Construct, id: string, props: ShopStackProps) {
    const { platform, signIn, ...teamProps } = props;
    super(scope, id, {
      namespaces: ['shop-frontend', 'shop-backend'],
      group: signIn ? signIn.group('shop-developers').subject.name : 'shop-developers',
      connectsTo: ['payments'],
      ...teamProps,
    });
    this.frontend = this.ns('shop-frontend');
    this.backend = this.ns('shop-backend');

    this.web = new SecureDeployment(this, 'web', {
      namespace: this.frontend,
      replicas: 3,
      containers: [{
        name: 'web',
        image: REFERENCE_IMAGES.web,
        ports: [Port.tcp(8080)],
        liveness: Probe.fromHttpGet('/healthz', { port: 8080 }),
        readiness: Probe.fromHttpGet('/ready', { port: 8080 }),
      }],
    });
    this.web.exposeViaIngress({ host: 'shop.example.com', controller: INGRESS_NGINX, tlsSecretName: 'shop-tls' });

    const flags = new SecureConfigMap(this, 'api-flags', { namespace: this.backend, name: 'api-flags', data: { 'checkout.enabled': 'true' } });
    this.api = new SecureDeployment(this, 'api', {
      namespace: this.backend,
      autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 },
      containers: [{
        name: 'api',
        image: REFERENCE_IMAGES.api,
        ports: [Port.tcp(8443)],
        env: { DB_HOST: 'db.shop-backend.svc', PAYMENTS_URL: 'https://payments-api.payments.svc:8443' },
        configFiles: [{ config: flags, mountPath: '/etc/api' }],
        secretFiles: [{ secretName: 'api-db-credentials', mountPath: '/var/run/secrets/db' }],
        liveness: Probe.fromHttpGet('/healthz', { port: 8443 }),
        readiness: Probe.fromHttpGet('/ready', { port: 8443 }),
      }],
    });
    this.dataPool = platform.addDedicatedPool('shop-data', { allowedNamespaces: [this.backend] });
    this.db = new SecureStatefulSet(this, 'db', {
      namespace: this.backend,
      sensitive: true,
      nodePool: this.dataPool,
      containers: [{
        name: 'postgres',
        image: REFERENCE_IMAGES.db,
        ports: [Port.tcp(5432)],
        secretFiles: [{ secretName: 'db-credentials', mountPath: '/var/run/secrets/db' }],
        writablePaths: [{ path: '/tmp' }, { path: '/var/run/postgresql' }],
        persistentPaths: [{ name: 'pgdata', path: '/var/lib/postgresql/data', size: '20Gi' }],
        resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '1Gi', limit: '1Gi' } },
        // Liveness: the server accepts connections; readiness: it accepts queries (kube-score pod-probes-identical).
        liveness: Probe.fromTcpSocket({ port: 5432 }),
        readiness: Probe.fromCommand(['pg_isready', '-h', '127.0.0.1', '-d', 'shop']),
      }],
    });
    // The queue worker has no port: it pulls orders from the database.
    this.worker = new SecureDeployment(this, 'worker', {
      namespace: this.backend,
      containers: [{
        name: 'worker',
        image: REFERENCE_IMAGES.worker,
        secretFiles: [{ secretName: 'worker-db-credentials', mountPath: '/var/run/secrets/db' }],
        liveness: Probe.fromCommand(['/worker', 'healthcheck']),
        readiness: Probe.fromCommand(['/worker', 'ready']),
      }],
    });
    this.nightly = new SecureCronJob(this, 'nightly', {
      namespace: this.backend,
      schedule: '0 3 * * *',
      cronJob: { timeZone: 'Europe/Berlin', activeDeadlineSeconds: 3600 },
      containers: [{ name: 'report', image: REFERENCE_IMAGES.nightly, secretFiles: [{ secretName: 'nightly-db-credentials', mountPath: '/var/run/secrets/db' }] }],
    });

    // The api reads its feature flags from the API server: exactly get on one ConfigMap, by name,
    // through a projected, hour-long, audience-bound token (no other workload gets a token).
    this.api.grantRead(flags.resource);
    // Leader election among the api replicas: one named Lease, get and update only.
    this.api.grant({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] });

    this.api.allowFrom(this.web, Port.tcp(8443));
    for (const client of [this.api, this.worker, this.nightly]) this.db.allowFrom(client, Port.tcp(5432));
  }
}
