import { Duration } from 'cdk8s';

/** Timing shared by every probe kind. */
export interface ProbeOptions {
  /** @default - no delay */
  readonly initialDelaySeconds?: Duration;
  /** @default - Kubernetes' 10 seconds */
  readonly periodSeconds?: Duration;
  /** @default - Kubernetes' 1 second */
  readonly timeoutSeconds?: Duration;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default - Kubernetes' 1 */
  readonly successThreshold?: number;
}

export interface HttpGetProbeOptions extends ProbeOptions {
  /** @default - the container's first declared port */
  readonly port?: number;
  /** @default "HTTP" */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

export interface TcpSocketProbeOptions extends ProbeOptions {
  /** @default - the container's first declared port */
  readonly port?: number;
}

type Handler =
  | { readonly kind: 'httpGet'; readonly path: string; readonly port?: number; readonly scheme: 'HTTP' | 'HTTPS' }
  | { readonly kind: 'tcpSocket'; readonly port?: number }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'grpc'; readonly port: number; readonly service?: string };

/**
 * A liveness, readiness or startup probe (rule workloads/probes). The same factories as
 * cdk8s-plus-27's Probe, rendered by Bulwark itself so that a pod template never depends on where
 * cdk8s-plus puts things.
 */
export class Probe {
  public static fromHttpGet(path: string, options: HttpGetProbeOptions = {}): Probe {
    return new Probe({ kind: 'httpGet', path, port: options.port, scheme: options.scheme ?? 'HTTP' }, options);
  }

  public static fromTcpSocket(options: TcpSocketProbeOptions = {}): Probe {
    return new Probe({ kind: 'tcpSocket', port: options.port }, options);
  }

  public static fromCommand(command: readonly string[], options: ProbeOptions = {}): Probe {
    if (command.length === 0) throw new Error('Probe.fromCommand([]): a command probe needs a command (rule workloads/probes).');
    return new Probe({ kind: 'exec', command: [...command] }, options);
  }

  public static fromGrpc(port: number, options: ProbeOptions & { readonly service?: string } = {}): Probe {
    return new Probe({ kind: 'grpc', port, service: options.service }, options);
  }

  private constructor(private readonly handler: Handler, private readonly options: ProbeOptions) {}

  /**
   * The Kubernetes form. `defaultPort` is the container's first port, for HTTP and TCP probes
   * that name none; a probe that needs a port and has none is an error naming `who`.
   */
  public render(who: string, defaultPort: number | undefined): Record<string, unknown> {
    const seconds = (d?: Duration) => (d === undefined ? undefined : d.toSeconds());
    const timing = {
      failureThreshold: this.options.failureThreshold ?? 3,
      ...(this.options.initialDelaySeconds ? { initialDelaySeconds: seconds(this.options.initialDelaySeconds) } : {}),
      ...(this.options.periodSeconds ? { periodSeconds: seconds(this.options.periodSeconds) } : {}),
      ...(this.options.successThreshold !== undefined ? { successThreshold: this.options.successThreshold } : {}),
      ...(this.options.timeoutSeconds ? { timeoutSeconds: seconds(this.options.timeoutSeconds) } : {}),
    };
    const h = this.handler;
    const port = () => {
      const p = (h as { port?: number }).port ?? defaultPort;
      if (p === undefined) throw new Error(`${who}: a ${h.kind} probe names no port and the container declares none (rule workloads/probes). Pass { port } or declare a port.`);
      return p;
    };
    switch (h.kind) {
      case 'httpGet': return { ...timing, httpGet: { path: h.path, port: port(), scheme: h.scheme } };
      case 'tcpSocket': return { ...timing, tcpSocket: { port: port() } };
      case 'exec': return { ...timing, exec: { command: [...h.command] } };
      case 'grpc': return { ...timing, grpc: { port: h.port, ...(h.service ? { service: h.service } : {}) } };
    }
  }
}
