export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** IANA service name, as Kubernetes requires for port names: at most 15 characters, a letter among them. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** A network port with its protocol and an optional name: `Port.tcp(8443, 'https')`. */
export class Port {
  public static tcp(port: number, name?: string): Port { return new Port('TCP', port, name); }
  public static udp(port: number, name?: string): Port { return new Port('UDP', port, name); }

  /** The port's name: the one given, else "<protocol>-<port>", e.g. "tcp-8443". */
  public readonly name: string;

  private constructor(public readonly protocol: Protocol, public readonly port: number, name?: string) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`Port.${protocol.toLowerCase()}(${port}): a port is an integer from 1 to 65535.`);
    }
    if (name !== undefined && (!PORT_NAME.test(name) || name.includes('--'))) {
      throw new Error(`Port.${protocol.toLowerCase()}(${port}, "${name}"): a port name is at most 15 lower-case letters, digits and "-", with at least one letter.`);
    }
    this.name = name ?? `${protocol.toLowerCase()}-${port}`;
  }

  /** The NetworkPolicy form. */
  public toPolicyPort(): { protocol: Protocol; port: number } {
    return { protocol: this.protocol, port: this.port };
  }

  public toString(): string {
    return `${this.port}/${this.protocol}`;
  }
}
