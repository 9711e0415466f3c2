import { Construct } from 'constructs';
import { Image, IsolatedNamespace, Port, Probe, SecureDeployment, SecureWorkload } from '../../constructs';
import { PlatformStack, TeamStack, TeamStackProps } from '../blueprint';

export const PAYMENTS_REGISTRY = 'registry.example.com/payments';
/** The port the payments service serves on. */
export const PAYMENTS_PORT = Port.tcp(8443, 'https');

export interface PaymentsStackProps extends Partial<TeamStackProps> {
  /** The platform whose dedicated pool "payments" runs the service. */
  readonly platform: PlatformStack;
}

/**
 * The payments team of the reference cluster: one sensitive service, alone on the dedicated pool
 * "payments", reachable only from the shop team's api (both teams declare the connection).
 */
export class PaymentsStack extends TeamStack {
  public readonly namespace0: IsolatedNamespace;
  public readonly service: SecureWorkload;

  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    const { platform, ...teamProps } = props;
    super(scope, id, { trustedRegistries: [PAYMENTS_REGISTRY], namespaces: ['payments'], group: 'oidc:payments', acceptsFrom: ['shop'], ...teamProps });
    this.namespace0 = this.ns('payments');
    const pool = platform.addDedicatedPool('payments', { allowedNamespaces: [this.namespace0], evictUntolerated: true });
    this.service = new SecureDeployment(this, 'payments-api', {
      namespace: this.namespace0,
      sensitive: true,
      nodePool: pool,
      containers: [{
        name: 'api',
        image: Image.pinned(`${PAYMENTS_REGISTRY}/api`, `sha256:${'7f'.repeat(32)}`),
        ports: [PAYMENTS_PORT],
        secretFiles: [{ secretName: 'payments-psp-credentials', mountPath: '/var/run/secrets/psp' }],
        liveness: Probe.fromHttpGet('/healthz', { scheme: 'HTTPS' }),
        readiness: Probe.fromHttpGet('/ready', { scheme: 'HTTPS' }),
      }],
    });
  }
}
