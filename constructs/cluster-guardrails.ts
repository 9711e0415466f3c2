import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { clockConfigMap, compileGuardrail, DEFAULT_EXEMPT_NAMESPACES, GUARDRAIL_RULE_ANNOTATION, guardrailName, guardrailRules, ValidationAction } from '../policy/admission';
import { CATALOG } from '../policy/catalog';
import { GuardrailSettings, KubeObject, RuleMeta } from '../policy/types';
import { BulwarkApp } from './bulwark-app';
import { BulwarkChart } from './bulwark-chart';
import { BulwarkError } from './errors';
import { DedicatedNodePool } from './dedicated-node-pool';
import { IsolatedNamespace } from './isolated-namespace';
import { synthesisDate } from './synthesis-date';

export interface ClusterGuardrailsProps {
  /**
   * What the API server does with a request a guardrail refuses: "enforce" denies it
   * (validationActions [Deny, Audit]); "warn" admits it with a warning and an audit annotation
   * ([Warn, Audit]), to roll the guardrails out on a cluster that already runs workloads.
   * @default "enforce"
   */
  readonly mode?: 'enforce' | 'warn';
  /**
   * Registries images in production namespaces may come from (rule images/trusted-registry).
   * @default - the BulwarkApp's trustedRegistries (else the chart's)
   */
  readonly trustedRegistries?: readonly string[];
  /**
   * Bindings the RBAC guardrails let through, as "namespace/name" for a RoleBinding and "name" for
   * a ClusterRoleBinding: the ones the cluster's installer creates (kubeadm:cluster-admins, ...),
   * which no stack emits. The API server's own default bindings always pass.
   * @default - none
   */
  readonly allowedBindings?: readonly string[];
  /**
   * Namespaces the pod, Service and namespace guardrails leave alone (the control plane's add-ons
   * run there). RBAC guardrails apply everywhere.
   * @default DEFAULT_EXEMPT_NAMESPACES (kube-system, kube-public, kube-node-lease)
   */
  readonly exemptNamespaces?: readonly string[];
  /**
   * The namespace of the clock ConfigMap (bulwark-guardrail-clock) the guardrails read waiver
   * expiry against on UPDATE. Only the platform may write it.
   * @default - a new IsolatedNamespace "bulwark-system"
   */
  readonly namespace?: IsolatedNamespace;
}

/**
 * The in-cluster guardrails: one ValidatingAdmissionPolicy and binding per guardrail rule of the
 * catalog (a rule with an admission form: its CEL lives beside its TypeScript check), so that the
 * cluster refuses what Bulwark did not emit (kubectl apply by hand, Helm, a compromised
 * pipeline), Pods and every workload controller alike. Waivers are honoured as the engine honours
 * them, expiry included (policy/admission.ts explains the clock: the API server's own time on
 * CREATE, the ConfigMap rendered here, dated at synth and refreshed by the platform, on UPDATE).
 * The dedicated pools of the App are read at synth; each DedicatedNodePool renders its own
 * per-pool guardrail.
 */
export class ClusterGuardrails extends Construct {
  public readonly namespace: IsolatedNamespace;
  /** The params object holding today's date (data.today), for UPDATE requests. */
  public readonly clock: ApiObject;
  /** Policy and binding per rule id. */
  public readonly guardrails: ReadonlyMap<string, { readonly policy: ApiObject; readonly binding: ApiObject }>;
  public readonly validationActions: readonly ValidationAction[];
  private readonly props: ClusterGuardrailsProps;
  private readonly chart: BulwarkChart;
  private readonly app: BulwarkApp;

  constructor(scope: Construct, id: string, props: ClusterGuardrailsProps = {}) {
    super(scope, id);
    const who = `ClusterGuardrails "${id}"`;
    this.chart = BulwarkChart.enclosing(this, who);
    this.app = BulwarkApp.enclosing(this, who);
    this.props = props;
    const mode = props.mode ?? 'enforce';
    if (mode !== 'enforce' && mode !== 'warn') {
      throw new BulwarkError(who, 'mode', mode, undefined, 'is not "enforce" or "warn"', 'Use "enforce", or "warn" while rolling the guardrails out.');
    }
    this.validationActions = mode === 'enforce' ? ['Deny', 'Audit'] : ['Warn', 'Audit'];
    for (const b of props.allowedBindings ?? []) {
      if (typeof b !== 'string' || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[^/\s]+$/.test(b)) {
        throw new BulwarkError(who, 'allowedBindings', b, 'rbac/no-privileged-bindings', 'is not "namespace/name" or "name"', 'Name a RoleBinding as "namespace/name", a ClusterRoleBinding by its name.');
      }
    }
    this.namespace = props.namespace ?? new IsolatedNamespace(this, 'bulwark-system');
    // The clock: the date of synth (or SOURCE_DATE_EPOCH's, for reproducible output), until the
    // platform refreshes it.
    this.clock = new ApiObject(this, 'Clock', clockConfigMap(this.namespace.name, synthesisDate()));

    const settings = (): GuardrailSettings => this.settings();
    const options = { validationActions: this.validationActions, exemptNamespaces: props.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES, clockNamespace: this.namespace.name };
    const guardrails = new Map<string, { policy: ApiObject; binding: ApiObject }>();
    for (const rule of guardrailRules(CATALOG)) {
      // Compiled at synth, when every DedicatedNodePool of the App exists.
      let compiled: { policy: KubeObject; binding: KubeObject } | undefined;
      const get = () => (compiled ??= compileGuardrail(rule as RuleMeta, settings(), options));
      const lazyObject = (part: 'policy' | 'binding', kind: string) => new ApiObject(this, `${guardrailName(rule.id)}-${part}`, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind,
        metadata: { name: guardrailName(rule.id), annotations: { [GUARDRAIL_RULE_ANNOTATION]: rule.id } },
        spec: Lazy.any({ produce: () => get()[part].spec }),
      });
      const policy = lazyObject('policy', 'ValidatingAdmissionPolicy');
      const binding = lazyObject('binding', 'ValidatingAdmissionPolicyBinding');
      // The clock and the policy exist before the binding that needs them is applied.
      binding.node.addDependency(this.clock, policy);
      guardrails.set(rule.id, { policy, binding });
    }
    this.guardrails = guardrails;
  }

  /** What the guardrails are compiled with: the props, and the App's dedicated pools. */
  public settings(): GuardrailSettings {
    const pools = new Map<string, readonly string[]>();
    for (const c of this.node.root.node.findAll()) {
      if (c instanceof DedicatedNodePool) pools.set(c.poolName, c.allowedNamespaces);
    }
    return {
      // One list for every production namespace of the cluster: the App's (a chart may only narrow it).
      trustedRegistries: [...(this.props.trustedRegistries ?? this.app.trustedRegistries ?? this.chart.trustedRegistries ?? [])],
      pools,
      allowedBindings: [...(this.props.allowedBindings ?? [])],
    };
  }
}
