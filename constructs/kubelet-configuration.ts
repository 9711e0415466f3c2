import { Construct } from 'constructs';
import { KubeObject } from '../policy';
import { STRONG_CIPHER_SUITES } from '../policy/rules/control-plane/hardening';
import { ControlPlaneDocument, ControlPlaneDocumentProps } from './control-plane-document';

export interface KubeletConfigurationProps extends ControlPlaneDocumentProps {
  /** @default "/etc/kubernetes/pki/ca.crt" - the cluster CA kubeadm creates (rule control-plane/kubelet-authentication, CIS 4.2.3) */
  readonly clientCAFile?: string;
  /** @default "5m" - an idle exec or port-forward stream is closed after five minutes (rule control-plane/kubelet-limits, CIS 4.2.5) */
  readonly streamingConnectionIdleTimeout?: string;
  /** @default 50 - events per second, so one crash-looping pod cannot flood the API server (rule control-plane/kubelet-limits, CIS 4.2.8) */
  readonly eventRecordQPS?: number;
  /** @default 4096 - processes per pod, so no pod can fork-bomb the node (rule control-plane/kubelet-limits, CIS 4.2.13) */
  readonly podPidsLimit?: number;
  /**
   * @default true - the kubelet refuses to start on a kernel whose tunables differ from what it
   * expects (rule control-plane/kubelet-kernel-hardening, CIS v1.24 4.2.6); the node must set
   * vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1
   */
  readonly protectKernelDefaults?: boolean;
  /** @default true - containers without a seccomp profile get RuntimeDefault (rule control-plane/kubelet-kernel-hardening, CIS 4.2.14) */
  readonly seccompDefault?: boolean;
  /** @default the six ECDHE AES-GCM and ChaCha20-Poly1305 suites of CIS 4.2.12 (rule control-plane/kubelet-tls) */
  readonly tlsCipherSuites?: readonly string[];
  /**
   * Further KubeletConfiguration fields, merged over the rendered ones (the escape hatch); the
   * result is checked like everything else.
   * @default - none
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * A kubelet.config.k8s.io/v1beta1 KubeletConfiguration per CIS 4.2: anonymous access off,
 * Webhook authentication and authorization, no read-only port, kernel defaults protected,
 * iptables chains managed, RuntimeDefault seccomp, client and serving certificates rotated
 * (serving certificates signed by the cluster CA through serverTLSBootstrap), strong TLS,
 * bounded streams, events and PIDs. kubeadm uploads it at init; every node then uses it.
 */
export class KubeletConfiguration extends ControlPlaneDocument {
  public readonly fileName = 'kubelet-configuration.yaml';
  private readonly document: KubeObject;

  constructor(scope: Construct, id: string, props: KubeletConfigurationProps = {}) {
    super(scope, id, 'KubeletConfiguration', props);
    this.document = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true, cacheTTL: '2m0s' },
        x509: { clientCAFile: props.clientCAFile ?? '/etc/kubernetes/pki/ca.crt' },
      },
      authorization: { mode: 'Webhook' },
      readOnlyPort: 0,
      protectKernelDefaults: props.protectKernelDefaults ?? true,
      makeIPTablesUtilChains: true,
      seccompDefault: props.seccompDefault ?? true,
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsMinVersion: 'VersionTLS12',
      tlsCipherSuites: [...(props.tlsCipherSuites ?? STRONG_CIPHER_SUITES)],
      streamingConnectionIdleTimeout: props.streamingConnectionIdleTimeout ?? '5m0s',
      eventRecordQPS: props.eventRecordQPS ?? 50,
      podPidsLimit: props.podPidsLimit ?? 4096,
      cgroupDriver: 'systemd',
      ...JSON.parse(JSON.stringify(props.overrides ?? {})),
    };
    this.check(this.document);
  }

  public toDocument(): KubeObject {
    return JSON.parse(JSON.stringify(this.document));
  }

  protected headerLines(): string[] {
    return [
      'Kubelet configuration (kubelet --config, or a document of the kubeadm init configuration), rendered by Bulwark (KubeletConfiguration).',
      'Serving certificates are requested from the cluster CA (serverTLSBootstrap): approve each node\'s kubelet-serving',
      'CertificateSigningRequest (kubectl get csr; kubectl certificate approve <name>) after checking its node name.',
      'Rules: control-plane/kubelet-* (CIS 4.2.1-4.2.6, 4.2.8-4.2.14).',
    ];
  }
}
