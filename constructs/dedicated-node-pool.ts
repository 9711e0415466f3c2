import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { dedicatedPoolGuardrail } from '../policy/rules/nodes/dedicated-pool-toleration';
import { POOL_LABEL_KEY, POOL_TAINT_KEY } from '../policy/rules/nodes/pools';
import { BulwarkChart } from './bulwark-chart';
import { assertDnsLabel, BulwarkError } from './errors';
import { IsolatedNamespace } from './isolated-namespace';
import { INodePool, Placement, Toleration } from './node-placement';
import { SecureWorkload } from './secure-workload';

export interface KarpenterOptions {
  /** The provider's node class, e.g. { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }. */
  readonly nodeClassRef: { readonly group: string; readonly kind: string; readonly name: string };
  /** Extra scheduling requirements (instance types, zones, capacity type). @default - none */
  readonly requirements?: ReadonlyArray<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] }>;
}

export interface DedicatedNodePoolProps {
  /** @default - the construct id */
  readonly name?: string;
  /** The only namespaces whose pods may tolerate the pool's taint. At least one. */
  readonly allowedNamespaces: readonly IsolatedNamespace[];
  /**
   * Also taint NoExecute, evicting pods already running on a node when it joins the pool.
   * @default false - NoSchedule only
   */
  readonly evictUntolerated?: boolean;
  /** Render a Karpenter NodePool (karpenter.sh/v1) for the pool. @default - no Karpenter object */
  readonly karpenter?: KarpenterOptions;
}

/**
 * Both sides of node isolation in one object: the node contract (taint, and a label under
 * node-restriction.kubernetes.io/ that a kubelet cannot set on itself), renderers for how nodes
 * are made (Karpenter here; a ControlPlane in the App renders a kubeadm join file and kind worker
 * per pool, registering the taints), the workload side (toleration + required node affinity)
 * and the guardrail (a ValidatingAdmissionPolicy that rejects pods of other namespaces tolerating
 * the taint; the same rule runs at synth).
 */
export class DedicatedNodePool extends Construct implements INodePool {
  public readonly poolName: string;
  public readonly allowedNamespaces: readonly string[];
  public readonly taints: readonly Toleration[];
  /** Labels a node of the pool carries, applied by the provisioner or an admin (never by the kubelet). */
  public readonly nodeLabels: Readonly<Record<string, string>>;
  public readonly policy: ApiObject;
  public readonly policyBinding: ApiObject;
  public readonly karpenterNodePool?: ApiObject;
  private readonly who: string;
  private readonly placed: SecureWorkload[] = [];

  constructor(scope: Construct, id: string, props: DedicatedNodePoolProps) {
    super(scope, id);
    this.who = `DedicatedNodePool "${id}"`;
    BulwarkChart.enclosing(this, this.who);
    this.poolName = props.name ?? id;
    assertDnsLabel(this.who, 'name', this.poolName);
    if (!props.allowedNamespaces || props.allowedNamespaces.length === 0) {
      throw new BulwarkError(this.who, 'allowedNamespaces', [], 'nodes/dedicated-pool-toleration', 'is empty', 'Name the IsolatedNamespaces whose workloads run on this pool.');
    }
    this.allowedNamespaces = [...new Set(props.allowedNamespaces.map((n) => n.name))].sort();
    const effects: Array<'NoSchedule' | 'NoExecute'> = props.evictUntolerated ? ['NoSchedule', 'NoExecute'] : ['NoSchedule'];
    this.taints = effects.map((effect) => ({ key: POOL_TAINT_KEY, operator: 'Equal' as const, value: this.poolName, effect }));
    this.nodeLabels = { [POOL_LABEL_KEY]: this.poolName };

    // Rule nodes/dedicated-pool-toleration in its admission form, from the rule file: Pods and
    // every workload controller tolerating this pool are refused outside the allowed namespaces.
    // ClusterGuardrails adds the cluster-wide part (no toleration of every pool, no unknown pool).
    const guardrail = dedicatedPoolGuardrail(this.poolName, this.allowedNamespaces);
    this.policy = new ApiObject(this, 'Guardrail', guardrail.policy);
    this.policyBinding = new ApiObject(this, 'GuardrailBinding', guardrail.binding);

    if (props.karpenter) {
      this.karpenterNodePool = new ApiObject(this, 'KarpenterNodePool', {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: this.poolName },
        spec: {
          template: {
            // Karpenter's controller applies these through the API, which NodeRestriction allows.
            metadata: { labels: { ...this.nodeLabels } },
            spec: {
              nodeClassRef: { ...props.karpenter.nodeClassRef },
              taints: this.taints.map(({ key, value, effect }) => ({ key, value, effect })),
              requirements: [...(props.karpenter.requirements ?? [])].map((r) => ({ ...r })),
            },
          },
        },
      });
    }
  }

  /** Puts a workload on this pool: its toleration and a required node affinity on the pool label. */
  public place(workload: SecureWorkload): Placement {
    const placement = workload.placeOn(this);
    this.placed.push(workload);
    return placement;
  }

  public placementFor(namespace: string, who: string): Placement {
    if (!this.allowedNamespaces.includes(namespace)) {
      throw new BulwarkError(who, 'nodePool', this.poolName, 'nodes/dedicated-pool-toleration', `does not allow namespace "${namespace}" (allowed: ${this.allowedNamespaces.join(', ')})`,
        `Add the namespace to ${this.who}'s allowedNamespaces, or run the workload elsewhere.`);
    }
    return {
      tolerations: this.taints,
      nodeSelectorTerm: { matchExpressions: [{ key: POOL_LABEL_KEY, operator: 'In', values: [this.poolName] }] },
    };
  }
}
