import { BulwarkApp, BulwarkAppProps, BulwarkChart, Image, IsolatedNamespace, SecureCronJob } from '{{bulwarkPackage}}';
import { Construct } from 'constructs';

/** The Kubernetes minor of the target cluster: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** The only registry (host or host/path prefix) the images may come from. */
export const REGISTRY = '{{registry}}';
/** The image, pinned by digest: replace the digest with the one of the image you release. */
export const IMAGE = Image.pinned('{{image}}', '{{digest}}');
/** Every night at 03:15 in the team's time zone. */
export const SCHEDULE = '15 3 * * *';
export const TIME_ZONE = 'Etc/UTC';
/** A run taking longer than this is stopped. */
export const DEADLINE_SECONDS = 3600;

export class CronJobStack extends BulwarkChart {
  public readonly teamNamespace: IsolatedNamespace;
  public readonly job: SecureCronJob;

  constructor(scope: Construct, id: string) {
    super(scope, id, { trustedRegistries: [REGISTRY] });
    // Pod Security "restricted" enforced, default-deny networking, quota and limits.
    this.teamNamespace = new IsolatedNamespace(this, 'namespace', { name: '{{namespace}}' });
    this.job = new SecureCronJob(this, 'workload', {
      name: '{{name}}',
      namespace: this.teamNamespace,
      schedule: SCHEDULE,
      cronJob: { timeZone: TIME_ZONE, concurrencyPolicy: 'Forbid', activeDeadlineSeconds: DEADLINE_SECONDS, backoffLimit: 2 },
      containers: [{
        name: '{{name}}',
        image: IMAGE,
        args: ['--since', '24h'],
        resources: { cpu: { request: '250m', limit: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
      }],
    });
  }
}

/** The whole App: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', kubernetesVersion: KUBERNETES_VERSION, trustedRegistries: [REGISTRY], ...props });
  new CronJobStack(app, '{{name}}');
  return app;
}
