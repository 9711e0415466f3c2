import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ALLOW_EXTERNAL_SERVICES_LABEL, ENVIRONMENT_LABEL } from '../policy/admission';
import { SHARED_NAMESPACES } from '../policy/rules/namespaces/no-default-namespace';
import { byCodePoint, formatVersion, KubeObject } from '../policy/types';
import { BulwarkChart } from './bulwark-chart';
import { refuseFindings } from './engine-check';
import { assertDnsLabel, BulwarkError } from './errors';
import { INetworkPeer, NAMESPACE_NAME_LABEL, NetworkPolicyPeer, PolicyRules } from './network-peer';
import { Port } from './port';
import { attachWaivers, Waiver } from './waiver';

export interface ClusterDns {
  /** Namespace of the cluster DNS pods. */
  readonly namespace: string;
  /** Labels of the cluster DNS pods. */
  readonly podLabels: Record<string, string>;
}

export interface IsolatedNamespaceProps {
  /** @default - the construct id */
  readonly name?: string;
  /**
   * ResourceQuota hard limits, merged over the defaults key by key.
   * @default - DEFAULT_QUOTA: bounded CPU, memory, ephemeral storage and pods; zero LoadBalancer and NodePort Services
   */
  readonly quota?: Record<string, string>;
  /**
   * Where cluster DNS runs; the namespace may send DNS queries there and nowhere else by default.
   * @default - kube-system pods labelled k8s-app=kube-dns (CoreDNS on kubeadm, kind, EKS, GKE, AKS)
   */
  readonly clusterDns?: ClusterDns;
  /** Waivers for the Namespace object. @default - none */
  readonly waivers?: readonly Waiver[];
}

/** Bounded namespace quota; no LoadBalancer or NodePort Services unless raised on purpose (CIS 5.7). */
export const DEFAULT_QUOTA: Readonly<Record<string, string>> = {
  'requests.cpu': '16',
  'requests.memory': '32Gi',
  'requests.ephemeral-storage': '40Gi',
  'limits.cpu': '16',
  'limits.memory': '32Gi',
  'limits.ephemeral-storage': '40Gi',
  pods: '100',
  'services.loadbalancers': '0',
  'services.nodeports': '0',
};

const DEFAULT_DNS: ClusterDns = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };

/**
 * A namespace that is a security boundary: Pod Security "restricted" enforced at the target
 * minor, default-deny ingress and egress with DNS to the cluster DNS pods only, a ResourceQuota,
 * a LimitRange, and a `default` ServiceAccount that mounts no token.
 */
export class IsolatedNamespace extends Construct implements INetworkPeer {
  public readonly name: string;
  public readonly peerDescription: string;
  public readonly peerEndpoint: { description: string; namespace: string };
  /** The Namespace object. */
  public readonly resource: ApiObject;
  public readonly defaultDeny: ApiObject;
  public readonly dnsEgress: ApiObject;
  public readonly quota: ApiObject;
  public readonly limitRange: ApiObject;
  public readonly defaultServiceAccount: ApiObject;
  private readonly namespaceRules = new PolicyRules();
  private namespacePolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: IsolatedNamespaceProps = {}) {
    super(scope, id);
    const who = `IsolatedNamespace "${id}"`;
    const chart = BulwarkChart.enclosing(this, who);
    this.name = props.name ?? id;
    assertDnsLabel(who, 'name', this.name);
    if (SHARED_NAMESPACES.has(this.name)) {
      throw new BulwarkError(who, 'name', this.name, 'namespaces/no-default-namespace', 'is a shared system namespace and cannot be isolated',
        'Choose a namespace of your own, e.g. "team-payments".');
    }
    this.peerDescription = who;
    this.peerEndpoint = { description: who, namespace: this.name };
    const pinned = `v${formatVersion(chart.version)}`;
    const ns = this.name;
    const quota = { ...DEFAULT_QUOTA, ...(props.quota ?? {}) };
    // A quota admitting LoadBalancer or NodePort Services (which needs a waiver of
    // network/no-external-services, checked below) lets the namespace's Services be exposed:
    // the label says so to the rule and to the cluster's guardrail.
    const exposes = ['services.loadbalancers', 'services.nodeports'].some((k) => !/^0+(\.0*)?$/.test(String(quota[k])));

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          // Read by the guardrails (ClusterGuardrails): images pinned and trusted in production.
          [ENVIRONMENT_LABEL]: chart.environment,
          ...(exposes ? { [ALLOW_EXTERNAL_SERVICES_LABEL]: 'true' } : {}),
          // Rule namespaces/pod-security-labels: enforce restricted pinned to the target minor,
          // audit and warn at latest so an upgrade's new checks show up before they bite.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': pinned,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    });
    attachWaivers(this.resource, props.waivers ?? []);

    // Rule network/pod-has-network-policy: nothing in or out unless declared.
    this.defaultDeny = new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const dns = props.clusterDns ?? DEFAULT_DNS;
    this.dnsEgress = new ApiObject(this, 'AllowDns', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-cluster-dns', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dns.namespace } }, podSelector: { matchLabels: { ...dns.podLabels } } }],
          ports: [Port.udp(53).toPolicyPort(), Port.tcp(53).toPolicyPort()],
        }],
      },
    });

    for (const [k, v] of Object.entries(quota)) {
      if (typeof v !== 'string' || !/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(v)) {
        throw new BulwarkError(who, `quota["${k}"]`, v, 'workloads/resources', 'is not a quantity', 'Give every quota entry a quantity, e.g. "4" or "8Gi".');
      }
    }
    this.quota = new ApiObject(this, 'Quota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: ns },
      spec: { hard: sortKeys(quota) },
    });
    // Raising the external-Service quota relaxes rule network/no-external-services: the namespace's
    // waivers travel with the quota, and the engine decides whether they cover it.
    attachWaivers(this.quota, props.waivers ?? []);
    refuseFindings(who, chart, [this.quota.toJson() as KubeObject], {
      propOf: (f) => {
        const key = /^spec\.hard\["(.+)"\]$/.exec(f.path)?.[1];
        return key ? { prop: `quota["${key}"]`, value: quota[key] } : undefined;
      },
    });

    // Defaults for containers that come from elsewhere (Helm, kubectl run): rule workloads/resources.
    this.limitRange = new ApiObject(this, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace: ns },
      spec: {
        limits: [{
          type: 'Container',
          // Requests equal limits, as SecureWorkload's defaults: Guaranteed QoS.
          default: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
          defaultRequest: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
        }],
      },
    });

    // Rule workloads/service-account-token: pods that fall back to "default" get no API token.
    this.defaultServiceAccount = new ApiObject(this, 'DefaultServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns },
      automountServiceAccountToken: false,
    });
  }

  public toNetworkPolicyPeer(): NetworkPolicyPeer {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.name } } };
  }

  /** Lets every pod of this namespace reach `to` on `port` (the egress side of a declared connection). */
  public addEgressRule(to: NetworkPolicyPeer, port: Port): boolean {
    this.namespaceRules.addEgress(to, port);
    this.ensureNamespacePolicy();
    return true;
  }

  /** Lets `from` reach every pod of this namespace on `port`. */
  public addIngressRule(from: NetworkPolicyPeer, port: Port): boolean {
    this.namespaceRules.addIngress(from, port);
    this.ensureNamespacePolicy();
    return true;
  }

  private ensureNamespacePolicy(): void {
    if (this.namespacePolicy) return;
    const rules = this.namespaceRules;
    this.namespacePolicy = new ApiObject(this, 'DeclaredConnections', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'declared-connections', namespace: this.name },
      spec: Lazy.any({ produce: () => ({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: rules.renderIngress(), egress: rules.renderEgress() }) }),
    });
  }
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => byCodePoint(a, b)));
}
