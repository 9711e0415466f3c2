import { SECRET_REF_PREFIX } from '../policy/rules/control-plane/hardening';
import { BulwarkError } from './errors';

/** What a secret value must look like; checked when it is materialized on the node. */
export type SecretFormat = 'encryption-key' | 'bootstrap-token' | 'ca-cert-hash';

const FORMATS: Record<SecretFormat, { test: (v: string) => boolean; describe: string; make: string }> = {
  'encryption-key': {
    test: (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32,
    describe: 'the base64 encoding of exactly 32 random bytes',
    make: 'head -c 32 /dev/urandom | base64',
  },
  'bootstrap-token': { test: (v) => /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(v), describe: 'a kubeadm bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})', make: 'kubeadm token create' },
  'ca-cert-hash': { test: (v) => /^sha256:[a-f0-9]{64}$/.test(v), describe: 'the cluster CA\'s public-key hash (sha256:<64 hex digits>)', make: 'kubeadm token create --print-join-command' },
};

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Where a secret comes from at provisioning time: an environment variable or a file on the node.
 * Rendered files never hold the secret, only a reference (`bulwark-secret:<format>:env:<NAME>` or
 * `bulwark-secret:<format>:file:<path>`) that stacks/provision-control-plane.ts replaces with the
 * value when it installs the files on a node (rule control-plane/no-inline-secrets).
 */
export class SecretSource {
  public static env(variable: string): SecretSource {
    if (!ENV_NAME.test(variable)) {
      throw new BulwarkError('SecretSource.env', 'variable', variable, 'control-plane/no-inline-secrets', 'is not an environment variable name', 'Use upper-case letters, digits and "_", e.g. "BULWARK_ENCRYPTION_KEY".');
    }
    return new SecretSource('env', variable);
  }

  public static file(path: string): SecretSource {
    if (!path.startsWith('/') || /[\s:]/.test(path)) {
      throw new BulwarkError('SecretSource.file', 'path', path, 'control-plane/no-inline-secrets', 'is not an absolute path without spaces or ":"', 'Give the absolute path of the file on the node, e.g. "/etc/kubernetes/keys/encryption.key".');
    }
    return new SecretSource('file', path);
  }

  private constructor(public readonly kind: 'env' | 'file', public readonly name: string) {}

  /** The reference written into a rendered file in place of the secret. */
  public reference(format: SecretFormat): string {
    return `${SECRET_REF_PREFIX}${format}:${this.kind}:${this.name}`;
  }
}

export interface ParsedSecretRef {
  readonly format: SecretFormat;
  readonly source: SecretSource;
}

/** The reference in a rendered value, or undefined when the value is not one. */
export function parseSecretRef(value: unknown): ParsedSecretRef | undefined {
  if (typeof value !== 'string' || !value.startsWith(SECRET_REF_PREFIX)) return undefined;
  const m = /^([a-z-]+):(env|file):(.+)$/.exec(value.slice(SECRET_REF_PREFIX.length));
  if (!m || !(m[1] in FORMATS)) throw new Error(`"${value}" is not a secret reference: expected ${SECRET_REF_PREFIX}<${Object.keys(FORMATS).join('|')}>:<env|file>:<name>`);
  return { format: m[1] as SecretFormat, source: m[2] === 'env' ? SecretSource.env(m[3]) : SecretSource.file(m[3]) };
}

/**
 * The secret a reference points at, read from `env` or the file, and checked against its format.
 * A missing or malformed secret is an error that says where it was looked for and how to make one.
 */
export function resolveSecretRef(ref: ParsedSecretRef, where: string, env: NodeJS.ProcessEnv, readFile: (path: string) => string): string {
  const format = FORMATS[ref.format];
  let value: string | undefined;
  if (ref.source.kind === 'env') {
    value = env[ref.source.name];
    if (value === undefined || value.trim() === '') {
      throw new Error(`${where} needs ${format.describe} in the environment variable ${ref.source.name}, which is not set. Create one (${format.make}) and export ${ref.source.name}, or reference a file with SecretSource.file(...).`);
    }
  } else {
    try {
      value = readFile(ref.source.name);
    } catch (e) {
      throw new Error(`${where} needs ${format.describe} in the file ${ref.source.name}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Create it (${format.make}) with mode 0600.`);
    }
  }
  value = value.trim();
  if (!format.test(value)) {
    throw new Error(`${where}: ${ref.source.kind === 'env' ? `the environment variable ${ref.source.name}` : `the file ${ref.source.name}`} does not hold ${format.describe}. Create one with: ${format.make}.`);
  }
  return value;
}
