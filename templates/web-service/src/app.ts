import {
  BulwarkApp, BulwarkAppProps, BulwarkChart, Image, IngressController, IsolatedNamespace, Port, Probe, SecureDeployment,
} from '{{bulwarkPackage}}';
import { Construct } from 'constructs';

/** The Kubernetes minor of the target cluster: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** The only registry (host or host/path prefix) the images may come from. */
export const REGISTRY = '{{registry}}';
/** The image, pinned by digest: replace the digest with the one of the image you release. */
export const IMAGE = Image.pinned('{{image}}', '{{digest}}');
/** The ingress controller whose pods may reach the service. */
export const INGRESS_CONTROLLER = IngressController.of({
  className: 'nginx',
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
});

export class WebServiceStack extends BulwarkChart {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly web: SecureDeployment;

  constructor(scope: Construct, id: string) {
    super(scope, id, { trustedRegistries: [REGISTRY] });
    // Pod Security "restricted" enforced, default-deny networking, quota and limits.
    this.teamNamespace = new IsolatedNamespace(this, 'namespace', { name: '{{namespace}}' });
    const http = Port.tcp(8080, 'http');
    this.web = new SecureDeployment(this, 'workload', {
      name: '{{name}}',
      namespace: this.teamNamespace,
      // The autoscaler owns the replica count; a disruption budget and zone spread follow.
      autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 },
      containers: [{
        name: '{{name}}',
        image: IMAGE,
        ports: [http],
        resources: { cpu: { request: '250m', limit: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
        liveness: Probe.fromHttpGet('/healthz', { port: 8080 }),
        readiness: Probe.fromHttpGet('/ready', { port: 8080 }),
      }],
    });
    // TLS from the Secret {{name}}-tls (cert-manager or your own), opened to the controller's pods only.
    this.web.exposeViaIngress({ host: '{{host}}', controller: INGRESS_CONTROLLER, tlsSecretName: '{{name}}-tls' });
  }
}

/** The whole App: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', kubernetesVersion: KUBERNETES_VERSION, trustedRegistries: [REGISTRY], ...props });
  new WebServiceStack(app, '{{name}}');
  return app;
}
