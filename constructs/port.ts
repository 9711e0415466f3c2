export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A network port with its protocol: `Port.tcp(8443)`. */
export class Port {
  public static tcp(port: number): Port { return new Port('TCP', port); }
  public static udp(port: number): Port { return new Port('UDP', port); }

  private constructor(public readonly protocol: Protocol, public readonly port: number) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`Port.${protocol.toLowerCase()}(${port}): a port is an integer from 1 to 65535.`);
    }
  }

  /** The NetworkPolicy form. */
  public toPolicyPort(): { protocol: Protocol; port: number } {
    return { protocol: this.protocol, port: this.port };
  }

  public toString(): string {
    return `${this.port}/${this.protocol}`;
  }
}
