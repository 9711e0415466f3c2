import { INetworkPeer, NetworkPeer } from './network-peer';

/**
 * An ingress controller the platform runs: its IngressClass and where its pods are, so that a
 * workload's NetworkPolicy admits exactly those pods and nothing else.
 */
export class IngressController {
  public static of(props: { readonly className: string; readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }): IngressController {
    return new IngressController(props.className, props.namespace, { ...props.podLabels });
  }

  private constructor(
    public readonly className: string,
    public readonly namespace: string,
    public readonly podLabels: Readonly<Record<string, string>>,
  ) {}

  /** The controller's pods as a network peer. */
  public get peer(): INetworkPeer {
    return NetworkPeer.namespace(this.namespace, { ...this.podLabels });
  }
}

/**
 * A Gateway API gateway the platform runs, with the listener that terminates TLS: routes attach
 * to that listener only, so traffic reaches them over HTTPS (rule network/ingress-tls).
 */
export class Gateway {
  public static of(props: {
    readonly name: string;
    readonly namespace: string;
    /** The Gateway listener (sectionName) that serves HTTPS. */
    readonly httpsListener: string;
    /** Labels of the gateway's data-plane pods. */
    readonly podLabels: Readonly<Record<string, string>>;
  }): Gateway {
    return new Gateway(props.name, props.namespace, props.httpsListener, { ...props.podLabels });
  }

  private constructor(
    public readonly name: string,
    public readonly namespace: string,
    public readonly httpsListener: string,
    public readonly podLabels: Readonly<Record<string, string>>,
  ) {}

  public get peer(): INetworkPeer {
    return NetworkPeer.namespace(this.namespace, { ...this.podLabels });
  }
}
