import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AuthenticationConfiguration, BulwarkChart, BulwarkChartProps, ClusterGuardrails, DedicatedNodePool, Image, IsolatedNamespace, LeastPrivilegeRole, NetworkPeer, Port, Probe, RoleSubject, SecureWorkload } from '../../constructs';

/** Digests of the reference images (immutable: the bytes that were reviewed). */
export const REFERENCE_IMAGES = {
  web: Image.pinned('registry.example.com/shop/web', 'sha256:4c5f2d5e5b0c7a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f'),
  api: Image.pinned('registry.example.com/shop/api', 'sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b'),
  db: Image.pinned('registry.example.com/shop/postgres', 'sha256:1f2e3d4c5b6a79881726354453627181920a1b2c3d4e5f60718293a4b5c6d7e8'),
};

export interface ShopStackProps extends BulwarkChartProps {
  /**
   * Where the team signs in: its developers group is bound with the identity provider's prefix.
   * @default - the group "shop-developers" is bound as it is
   */
  readonly signIn?: AuthenticationConfiguration;
}

/**
 * The reference cluster: two isolated namespaces and three workloads that talk to each other.
 * web (frontend) <- ingress controller; web -> api (backend, 8443); api -> db (5432).
 * The database is sensitive: it runs only on the dedicated node pool "shop-data".
 */
export class ShopStack extends BulwarkChart {
  public readonly frontend: IsolatedNamespace;
  public readonly backend: IsolatedNamespace;
  public readonly web: SecureWorkload;
  public readonly api: SecureWorkload;
  public readonly db: SecureWorkload;
  /** Nodes that run the database and nothing else. */
  public readonly dataPool: DedicatedNodePool;
  /** The cluster's admission guardrails, compiled from the rule catalog (every stack of the App is under them). */
  public readonly guardrails: ClusterGuardrails;

  constructor(scope: Construct, id: string, props: ShopStackProps = {}) {
    const { signIn, ...chartProps } = props;
    super(scope, id, chartProps);
    // First, so that everything after it is applied under the cluster's admission guardrails.
    this.guardrails = new ClusterGuardrails(this, 'guardrails');
    this.frontend = new IsolatedNamespace(this, 'shop-frontend');
    this.backend = new IsolatedNamespace(this, 'shop-backend');

    this.web = new SecureWorkload(this, 'web', {
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
    this.api = new SecureWorkload(this, 'api', {
      namespace: this.backend,
      containers: [{
        name: 'api',
        image: REFERENCE_IMAGES.api,
        ports: [Port.tcp(8443)],
        env: { DB_HOST: 'db.shop-backend.svc' },
        secretFiles: [{ secretName: 'api-db-credentials', mountPath: '/var/run/secrets/db' }],
        liveness: Probe.fromHttpGet('/healthz', { port: 8443 }),
        readiness: Probe.fromHttpGet('/ready', { port: 8443 }),
      }],
    });
    this.dataPool = new DedicatedNodePool(this, 'shop-data', { allowedNamespaces: [this.backend] });
    this.db = new SecureWorkload(this, 'db', {
      namespace: this.backend,
      kind: 'StatefulSet',
      sensitive: true,
      nodePool: this.dataPool,
      containers: [{
        name: 'postgres',
        image: REFERENCE_IMAGES.db,
        ports: [Port.tcp(5432)],
        secretFiles: [{ secretName: 'db-credentials', mountPath: '/var/run/secrets/db' }],
        writablePaths: [{ path: '/tmp' }, { path: '/var/run/postgresql' }],
        resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '1Gi', limit: '1Gi' } },
        // Liveness: the server accepts connections; readiness: it accepts queries (kube-score pod-probes-identical).
        liveness: Probe.fromTcpSocket({ port: 5432 }),
        readiness: Probe.fromCommand(['pg_isready', '-h', '127.0.0.1', '-d', 'shop']),
      }],
    });

    // The api reads its feature flags from the API server: exactly get on one ConfigMap, by name,
    // through a projected, hour-long, audience-bound token (no other workload gets a token).
    const flags = new kplus.ConfigMap(this, 'api-flags', {
      metadata: { name: 'api-flags', namespace: this.backend.name },
      data: { 'checkout.enabled': 'true' },
    });
    this.api.grantRead(flags);
    // Leader election among the api replicas: one named Lease, get and update only.
    this.api.grant({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] });

    // The team's developers can see their workloads and read logs in the backend, nothing more:
    // no exec, no secrets, no changes.
    const developers = new LeastPrivilegeRole(this, 'shop-developers', { namespace: this.backend });
    developers.allow({ apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] });
    developers.allow({ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] });
    developers.bind('team', signIn ? signIn.group('shop-developers') : RoleSubject.group('shop-developers'));

    this.web.allowFrom(NetworkPeer.namespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }), Port.tcp(8080));
    this.api.allowFrom(this.web, Port.tcp(8443));
    this.db.allowFrom(this.api, Port.tcp(5432));
  }
}
