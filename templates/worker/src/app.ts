import { BulwarkApp, BulwarkAppProps, BulwarkChart, Image, IsolatedNamespace, Port, Probe, SecureDeployment } from '{{bulwarkPackage}}';
import { Construct } from 'constructs';

/** The Kubernetes minor of the target cluster: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** The only registry (host or host/path prefix) the images may come from. */
export const REGISTRY = '{{registry}}';
/** The image, pinned by digest: replace the digest with the one of the image you release. */
export const IMAGE = Image.pinned('{{image}}', '{{digest}}');
/** Where the work comes from (a message broker's address range and port). */
export const QUEUE_CIDR = '10.20.0.0/16';
export const QUEUE_PORT = Port.tcp(5671, 'amqps');

export class WorkerStack extends BulwarkChart {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly worker: SecureDeployment;

  constructor(scope: Construct, id: string) {
    super(scope, id, { trustedRegistries: [REGISTRY] });
    // Pod Security "restricted" enforced, default-deny networking, quota and limits.
    this.teamNamespace = new IsolatedNamespace(this, 'namespace', { name: '{{namespace}}' });
    const healthcheck = Probe.fromCommand(['/app/healthcheck']);
    this.worker = new SecureDeployment(this, 'workload', {
      name: '{{name}}',
      namespace: this.teamNamespace,
      // Two replicas survive a node drain; a disruption budget and zone spread come with them.
      replicas: 2,
      containers: [{
        name: '{{name}}',
        image: IMAGE,
        env: { QUEUE_URL: 'amqps://queue.example.com:5671' },
        resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '512Mi', limit: '512Mi' } },
        // Scratch space on a size-limited emptyDir: the root filesystem stays read-only.
        writablePaths: [{ path: '/var/cache/{{name}}' }],
        liveness: healthcheck,
        readiness: healthcheck,
      }],
    });
    this.worker.allowEgress(QUEUE_CIDR, QUEUE_PORT);
  }
}

/** The whole App: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', kubernetesVersion: KUBERNETES_VERSION, trustedRegistries: [REGISTRY], ...props });
  new WorkerStack(app, '{{name}}');
  return app;
}
