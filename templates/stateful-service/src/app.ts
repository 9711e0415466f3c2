import { BulwarkApp, BulwarkAppProps, BulwarkChart, Image, IsolatedNamespace, Port, Probe, SecureStatefulSet } from '{{bulwarkPackage}}';
import { Construct } from 'constructs';

/** The Kubernetes minor of the target cluster: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** The only registry (host or host/path prefix) the images may come from. */
export const REGISTRY = '{{registry}}';
/** The image, pinned by digest: replace the digest with the one of the image you release. */
export const IMAGE = Image.pinned('{{image}}', '{{digest}}');
/** The port clients connect to, and each replica's volume. */
export const PORT = Port.tcp(5432, 'tcp-db');
export const DATA_SIZE = '20Gi';

export class StatefulServiceStack extends BulwarkChart {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly db: SecureStatefulSet;

  constructor(scope: Construct, id: string) {
    super(scope, id, { trustedRegistries: [REGISTRY] });
    // Pod Security "restricted" enforced, default-deny networking, quota and limits.
    this.teamNamespace = new IsolatedNamespace(this, 'namespace', { name: '{{namespace}}' });
    this.db = new SecureStatefulSet(this, 'workload', {
      name: '{{name}}',
      namespace: this.teamNamespace,
      // Three members, one per node and zone where possible, never more than one down at a time.
      replicas: 3,
      containers: [{
        name: '{{name}}',
        image: IMAGE,
        ports: [PORT],
        persistentPaths: [{ name: 'data', path: '/data', size: DATA_SIZE }],
        resources: { cpu: { request: '1', limit: '1' }, memory: { request: '2Gi', limit: '2Gi' } },
        liveness: Probe.fromTcpSocket({ port: 5432 }),
        readiness: Probe.fromTcpSocket({ port: 5432 }),
      }],
    });
    // Clients: only what you allow may connect, e.g.
    //   this.db.allowFrom(api, PORT);   // a SecureDeployment of this App
  }
}

/** The whole App: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', kubernetesVersion: KUBERNETES_VERSION, trustedRegistries: [REGISTRY], ...props });
  new StatefulServiceStack(app, '{{name}}');
  return app;
}
