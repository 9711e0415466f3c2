import {
  BulwarkApp, BulwarkAppProps, BulwarkChart, DedicatedNodePool, Image, IsolatedNamespace, Port, Probe, SecureDeployment,
} from '{{bulwarkPackage}}';
import { Construct } from 'constructs';

/** The Kubernetes minor of the target cluster: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** The only registry (host or host/path prefix) the images may come from. */
export const REGISTRY = '{{registry}}';
/** The image, pinned by digest: replace the digest with the one of the image you release. */
export const IMAGE = Image.pinned('{{image}}', '{{digest}}');

export class SensitiveServiceStack extends BulwarkChart {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly pool: DedicatedNodePool;
  public readonly service: SecureDeployment;

  constructor(scope: Construct, id: string) {
    super(scope, id, { trustedRegistries: [REGISTRY] });
    // Pod Security "restricted" enforced, default-deny networking, quota and limits.
    this.teamNamespace = new IsolatedNamespace(this, 'namespace', { name: '{{namespace}}' });
    // Nodes for this namespace alone: tainted, labelled where a kubelet cannot, guarded at admission.
    this.pool = new DedicatedNodePool(this, 'pool', { name: '{{name}}', allowedNamespaces: [this.teamNamespace] });
    const https = Port.tcp(8443, 'https');
    this.service = new SecureDeployment(this, 'workload', {
      name: '{{name}}',
      namespace: this.teamNamespace,
      replicas: 2,
      sensitive: true,
      nodePool: this.pool,
      containers: [{
        name: '{{name}}',
        image: IMAGE,
        ports: [https],
        // The TLS key is mounted as a read-only file, never as an environment variable.
        secretFiles: [{ secretName: '{{name}}-tls', mountPath: '/var/run/secrets/tls' }],
        resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '512Mi', limit: '512Mi' } },
        liveness: Probe.fromHttpGet('/healthz', { port: 8443, scheme: 'HTTPS' }),
        readiness: Probe.fromHttpGet('/ready', { port: 8443, scheme: 'HTTPS' }),
      }],
    });
    // Clients: only what you allow may connect, e.g. this.service.allowFrom(api, https).
  }
}

/** The whole App: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', kubernetesVersion: KUBERNETES_VERSION, trustedRegistries: [REGISTRY], ...props });
  new SensitiveServiceStack(app, '{{name}}');
  return app;
}
