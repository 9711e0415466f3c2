import type { DeclaredConnection } from './bulwark-chart';
import { byCodePoint } from '../policy/types';
import { Port } from './port';

/** One entry of a NetworkPolicy `from`/`to` list. */
export interface NetworkPolicyPeer {
  readonly namespaceSelector?: { readonly matchLabels: Record<string, string> };
  readonly podSelector?: { readonly matchLabels: Record<string, string> };
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}

/** Something a workload can talk to or hear from: a SecureWorkload, an IsolatedNamespace or an external namespace. */
export interface INetworkPeer {
  /** For messages, e.g. 'SecureWorkload "api"'. */
  readonly peerDescription: string;
  /** Where the peer is, for the record of declared connections. */
  readonly peerEndpoint: DeclaredConnection['from'];
  toNetworkPolicyPeer(): NetworkPolicyPeer;
  /**
   * Opens the egress side of a declared connection when this peer's egress is managed by
   * Bulwark; returns false for peers outside the app, whose owners open it themselves.
   */
  addEgressRule(to: NetworkPolicyPeer, port: Port): boolean;
  /** Opens the ingress side, as above. */
  addIngressRule(from: NetworkPolicyPeer, port: Port): boolean;
}

/** The label every namespace carries with its own name (set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Peers outside this app. */
export class NetworkPeer {
  /** Pods of a namespace Bulwark does not manage (e.g. an ingress controller), optionally narrowed by labels. */
  public static namespace(name: string, podLabels?: Record<string, string>): INetworkPeer {
    return {
      peerDescription: `namespace "${name}"`,
      peerEndpoint: { description: `namespace "${name}"`, namespace: name, ...(podLabels ? { podLabels: { ...podLabels } } : {}) },
      toNetworkPolicyPeer: () => ({
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
        ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
      }),
      addEgressRule: () => false,
      addIngressRule: () => false,
    };
  }
}

/** Accumulates ingress and egress rules of one NetworkPolicy, merging rules for the same port. */
export class PolicyRules {
  private readonly ingress = new Map<string, { peers: NetworkPolicyPeer[]; port: Port }>();
  private readonly egress = new Map<string, { peers: NetworkPolicyPeer[]; port: Port }>();

  public addIngress(from: NetworkPolicyPeer, port: Port): void { add(this.ingress, from, port); }
  public addEgress(to: NetworkPolicyPeer, port: Port): void { add(this.egress, to, port); }

  public renderIngress(): any[] { return render(this.ingress, 'from'); }
  public renderEgress(): any[] { return render(this.egress, 'to'); }
}

function add(map: Map<string, { peers: NetworkPolicyPeer[]; port: Port }>, peer: NetworkPolicyPeer, port: Port): void {
  const key = port.toString();
  const entry = map.get(key) ?? { peers: [], port };
  if (!entry.peers.some((p) => JSON.stringify(p) === JSON.stringify(peer))) entry.peers.push(peer);
  map.set(key, entry);
}

function render(map: Map<string, { peers: NetworkPolicyPeer[]; port: Port }>, field: 'from' | 'to'): any[] {
  return [...map.values()]
    .sort((a, b) => a.port.port - b.port.port || byCodePoint(a.port.protocol, b.port.protocol))
    .map((e) => ({
      [field]: [...e.peers].sort((a, b) => byCodePoint(JSON.stringify(a), JSON.stringify(b))),
      ports: [e.port.toPolicyPort()],
    }));
}
