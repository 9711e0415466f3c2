import { Construct } from 'constructs';
import { KubeObject } from '../policy';
import { HARDENING_ADMISSION_PLUGINS, REQUIRED_ADMISSION_PLUGINS } from '../policy/rules/control-plane/hardening';
import { ControlPlaneDocument, ControlPlaneDocumentProps } from './control-plane-document';

export interface EventRateLimit {
  readonly qps: number;
  readonly burst: number;
}

export interface AdmissionConfigurationProps extends ControlPlaneDocumentProps {
  /**
   * The Pod Security level enforced in every namespace that sets none (IsolatedNamespace sets
   * restricted on its own namespaces).
   * @default "baseline" - no privileged, host-namespace or hostPath pods anywhere (rule control-plane/pod-security-defaults, CIS 5.2.1)
   */
  readonly enforce?: 'baseline' | 'restricted';
  /**
   * Namespaces Pod Security does not check at all.
   * @default ["kube-system"] - only the system pods (rule control-plane/pod-security-exemptions)
   */
  readonly exemptNamespaces?: readonly string[];
  /**
   * Event write limits of the EventRateLimit plugin, per namespace and per user.
   * @default - 50 events/s with bursts of 100 per namespace, 10/s with bursts of 50 per user (rule control-plane/apiserver-admission-hardening, CIS 1.2.9)
   */
  readonly eventRateLimits?: { readonly namespace?: EventRateLimit; readonly user?: EventRateLimit };
  /**
   * Turn AlwaysPullImages on, so a pod can run a private image only with its own pull credentials.
   * @default true (rule control-plane/apiserver-admission-hardening, CIS 1.2.11); false needs a Waiver of that rule
   */
  readonly alwaysPullImages?: boolean;
}

/**
 * An apiserver.config.k8s.io/v1 AdmissionConfiguration with the cluster-wide Pod Security
 * defaults (enforce baseline at the target minor, audit and warn restricted at latest, only
 * kube-system exempt) and EventRateLimit's limits, plus the admission plugins kube-apiserver must
 * turn on: NodeRestriction, PodSecurity, ValidatingAdmissionPolicy, ServiceAccount,
 * NamespaceLifecycle, EventRateLimit, AlwaysPullImages and DenyServiceExternalIPs.
 */
export class AdmissionConfiguration extends ControlPlaneDocument {
  public readonly fileName = 'admission-configuration.yaml';
  public readonly enforce: 'baseline' | 'restricted';
  public readonly exemptNamespaces: readonly string[];
  public readonly plugins: readonly string[];
  private readonly limits: { namespace: EventRateLimit; user: EventRateLimit };

  constructor(scope: Construct, id: string, props: AdmissionConfigurationProps = {}) {
    super(scope, id, 'AdmissionConfiguration', props);
    this.enforce = props.enforce ?? 'baseline';
    this.exemptNamespaces = [...(props.exemptNamespaces ?? ['kube-system'])];
    this.limits = { namespace: props.eventRateLimits?.namespace ?? { qps: 50, burst: 100 }, user: props.eventRateLimits?.user ?? { qps: 10, burst: 50 } };
    const hardening = HARDENING_ADMISSION_PLUGINS.filter((p) => p !== 'AlwaysPullImages' || props.alwaysPullImages !== false);
    this.plugins = [...REQUIRED_ADMISSION_PLUGINS, ...hardening];
    this.check(this.toDocument(), (f) => ({ prop: f.ruleId.endsWith('exemptions') ? 'exemptNamespaces' : 'enforce', value: f.ruleId.endsWith('exemptions') ? this.exemptNamespaces : this.enforce }));
  }

  public toDocument(): KubeObject {
    const minor = this.app.defaultKubernetesVersion;
    return {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [
        {
          name: 'PodSecurity',
          configuration: {
            apiVersion: 'pod-security.admission.config.k8s.io/v1',
            kind: 'PodSecurityConfiguration',
            defaults: { enforce: this.enforce, 'enforce-version': `v${minor}`, audit: 'restricted', 'audit-version': 'latest', warn: 'restricted', 'warn-version': 'latest' },
            exemptions: { usernames: [], runtimeClasses: [], namespaces: [...this.exemptNamespaces] },
          },
        },
        {
          name: 'EventRateLimit',
          configuration: {
            apiVersion: 'eventratelimit.admission.k8s.io/v1alpha1',
            kind: 'Configuration',
            limits: [
              { type: 'Namespace', qps: this.limits.namespace.qps, burst: this.limits.namespace.burst, cacheSize: 2000 },
              { type: 'User', qps: this.limits.user.qps, burst: this.limits.user.burst, cacheSize: 2000 },
            ],
          },
        },
      ],
    };
  }

  /** kube-apiserver flags that load this file and turn the plugins on (the defaults stay on as well). */
  public apiServerFlags(configDirectory: string): Record<string, string> {
    return { 'enable-admission-plugins': this.plugins.join(','), 'admission-control-config-file': `${configDirectory}/${this.fileName}` };
  }

  protected headerLines(): string[] {
    return [
      'Admission configuration for kube-apiserver (--admission-control-config-file), rendered by Bulwark (AdmissionConfiguration).',
      `Pod Security cluster defaults: enforce ${this.enforce}, audit and warn restricted; exempt: ${this.exemptNamespaces.join(', ') || 'nothing'}.`,
      'Rules: control-plane/pod-security-defaults, control-plane/pod-security-exemptions (CIS 5.2.1); plugins: control-plane/apiserver-admission-plugins, control-plane/apiserver-admission-hardening.',
    ];
  }
}
