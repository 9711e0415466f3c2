import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BulwarkChart } from './bulwark-chart';
import { assertDnsLabel, BulwarkError } from './errors';
import { IsolatedNamespace } from './isolated-namespace';

/** A ConfigMap a container can read: Bulwark's own, or one that exists already, by name. */
export interface IConfigSource {
  readonly configMapName: string;
}

/** A ConfigMap that Bulwark does not create (made by another tool), referenced by name. */
export class ConfigSource {
  public static fromName(name: string): IConfigSource {
    assertDnsLabel('ConfigSource.fromName', 'name', name);
    return { configMapName: name };
  }
}

export interface SecureConfigMapProps {
  readonly namespace: IsolatedNamespace;
  /** @default - the construct id; the object's name adds a hash of the data */
  readonly name?: string;
  /** Keys and values; each key becomes a file when mounted. Never secrets: use a Secret and secretFiles. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * An immutable ConfigMap whose name carries a hash of its content: a change makes a new object
 * and a new pod template, so pods roll onto the new configuration instead of seeing files change
 * under them, and nothing can edit it in place afterwards.
 */
export class SecureConfigMap extends Construct implements IConfigSource {
  public readonly configMapName: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: SecureConfigMapProps) {
    super(scope, id);
    const who = `SecureConfigMap "${id}"`;
    BulwarkChart.enclosing(this, who);
    const base = props.name ?? id;
    assertDnsLabel(who, 'name', base);
    const keys = Object.keys(props.data ?? {});
    if (keys.length === 0) throw new BulwarkError(who, 'data', {}, undefined, 'is empty', 'Give at least one key.');
    for (const k of keys) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) throw new BulwarkError(who, 'data key', k, undefined, 'is not a valid ConfigMap key', 'Use letters, digits, "-", "_" and ".".');
    }
    const data = Object.fromEntries(keys.sort().map((k) => [k, props.data[k]]));
    const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 10);
    if (base.length + 11 > 63) throw new BulwarkError(who, 'name', base, undefined, 'leaves no room for the content hash', 'Use at most 52 characters.');
    this.configMapName = `${base}-${hash}`;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.configMapName, namespace: props.namespace.name },
      data,
      immutable: true,
    });
  }
}
