import { Construct } from 'constructs';
import { KubeObject } from '../policy';
import { ControlPlaneDocument, ControlPlaneDocumentProps } from './control-plane-document';
import { BulwarkError } from './errors';
import { SecretSource } from './secret-source';
import { Waiver } from './waiver';

/** One key of a local encryption provider: a name (stable across rotations) and where the key comes from. */
export interface EncryptionKey {
  /** @default "key1" */
  readonly name?: string;
  readonly source: SecretSource;
}

/** How stored data is encrypted. The first provider of a configuration encrypts every write. */
export class EncryptionProvider {
  /**
   * KMS v2: a key-management plugin on the node (unix socket) wraps the data keys, so no key sits
   * on the control-plane disk.
   * @param options.timeout @default "3s"
   */
  public static kms(options: { name: string; endpoint: string; timeout?: string }): EncryptionProvider {
    if (!/^unix:\/\/\//.test(options.endpoint)) {
      throw new BulwarkError('EncryptionProvider.kms', 'endpoint', options.endpoint, 'control-plane/encryption-providers', 'is not a unix socket URL', 'Use the plugin\'s socket, e.g. "unix:///var/run/kmsplugin/socket.sock".');
    }
    return new EncryptionProvider('kms', { apiVersion: 'v2', name: options.name, endpoint: options.endpoint, timeout: options.timeout ?? '3s' });
  }

  /** XSalsa20-Poly1305 with 32-byte keys provisioned on the node (the first key encrypts; others still decrypt). */
  public static secretbox(...keys: EncryptionKey[]): EncryptionProvider {
    return new EncryptionProvider('secretbox', { keys: EncryptionProvider.keys('secretbox', keys) });
  }

  /** AES-CBC with PKCS#7 padding and 32-byte keys; prefer secretbox or KMS v2. */
  public static aescbc(...keys: EncryptionKey[]): EncryptionProvider {
    return new EncryptionProvider('aescbc', { keys: EncryptionProvider.keys('aescbc', keys) });
  }

  private static keys(type: string, keys: EncryptionKey[]): Array<{ name: string; secret: string }> {
    if (keys.length === 0) throw new BulwarkError(`EncryptionProvider.${type}`, 'keys', [], 'control-plane/encryption-providers', 'is empty', 'Give at least one key, e.g. { source: SecretSource.env("BULWARK_ENCRYPTION_KEY") }.');
    const names = keys.map((k, i) => k.name ?? `key${i + 1}`);
    if (new Set(names).size !== names.length) throw new BulwarkError(`EncryptionProvider.${type}`, 'keys', names, 'control-plane/encryption-providers', 'repeats a key name', 'Give every key its own name.');
    return keys.map((k, i) => ({ name: names[i], secret: k.source.reference('encryption-key') }));
  }

  private constructor(public readonly type: string, private readonly config: Record<string, unknown>) {}

  public render(): Record<string, unknown> {
    return { [this.type]: JSON.parse(JSON.stringify(this.config)) };
  }
}

export interface EncryptionConfigurationProps extends ControlPlaneDocumentProps {
  /**
   * Resources stored encrypted, as the API server names them ("secrets", "configmaps", "*.apps").
   * @default ["secrets"] (rule control-plane/encryption-providers, CIS 1.2.27, 1.2.28)
   */
  readonly resources?: readonly string[];
  /**
   * Providers in order: the first encrypts every write, the others only decrypt (e.g. KMS v2
   * first, then the secretbox key data was written with before).
   * @default [EncryptionProvider.secretbox({ source: SecretSource.env("BULWARK_ENCRYPTION_KEY") })] -
   *   XSalsa20-Poly1305 with a key read from the environment at provisioning time, never written to dist/
   */
  readonly providers?: readonly EncryptionProvider[];
  /**
   * Turning encryption on in a cluster that already stores plain-text data: keeps the identity
   * provider last, so existing objects stay readable until they are rewritten. Needs a reason
   * and an expiry: it becomes a Waiver of control-plane/encryption-identity-fallback.
   * @default - no identity provider: data that is not encrypted cannot be read
   */
  readonly migration?: { readonly reason: string; readonly expires: string; readonly owner?: string };
}

/**
 * An apiserver.config.k8s.io/v1 EncryptionConfiguration: Secrets (and any resource named)
 * encrypted by KMS v2 or a local key, identity only during an explicit, expiring migration. Key
 * material never enters the rendered file: it holds references that stacks/provision-control-plane.ts
 * replaces with the key from the environment or a file when it installs the file on a node.
 */
export class EncryptionConfiguration extends ControlPlaneDocument {
  public readonly fileName = 'encryption-configuration.yaml';
  public readonly resources: readonly string[];
  public readonly providers: readonly EncryptionProvider[];
  public readonly migrating: boolean;

  constructor(scope: Construct, id: string, props: EncryptionConfigurationProps = {}) {
    const migration = props.migration ? [Waiver.of('control-plane/encryption-identity-fallback', props.migration)] : [];
    super(scope, id, 'EncryptionConfiguration', { ...props, waivers: [...(props.waivers ?? []), ...migration] });
    this.resources = [...(props.resources ?? ['secrets'])];
    this.providers = [...(props.providers ?? [EncryptionProvider.secretbox({ source: SecretSource.env('BULWARK_ENCRYPTION_KEY') })])];
    this.migrating = props.migration !== undefined;
    this.check(this.toDocument(), (f) => ({ prop: f.path === 'resources' ? 'resources' : 'providers', value: f.path === 'resources' ? this.resources : this.providers.map((p) => p.type) }));
  }

  public toDocument(): KubeObject {
    return {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: [...this.resources], providers: [...this.providers.map((p) => p.render()), ...(this.migrating ? [{ identity: {} }] : [])] }],
    };
  }

  public apiServerFlags(configDirectory: string): Record<string, string> {
    return { 'encryption-provider-config': `${configDirectory}/${this.fileName}` };
  }

  protected headerLines(): string[] {
    return [
      'Encryption at rest for kube-apiserver (--encryption-provider-config), rendered by Bulwark (EncryptionConfiguration).',
      `Encrypted: ${this.resources.join(', ')}, written with ${this.providers[0].type}${this.migrating ? '; identity kept last during a migration' : ''}.`,
      'This file holds no key: install it with stacks/provision-control-plane.ts, which replaces each bulwark-secret: reference',
      'with the key from the environment or a file on the node (mode 0600). Rules: control-plane/encryption-providers,',
      'control-plane/no-inline-secrets, control-plane/apiserver-encryption (CIS 1.2.27, 1.2.28).',
    ];
  }
}
