/**
 * Container image references, parsed the way the container runtime reads them (the
 * distribution/reference grammar with Docker Hub normalisation), and matched against a list of
 * trusted registries. Shared by rule images/trusted-registry and by the constructs.
 *
 *   nginx                          => docker.io/library/nginx
 *   user/app:1.2                   => docker.io/user/app, tag 1.2
 *   localhost:5000/app             => registry localhost:5000, path app
 *   registry.example.com/team/app@sha256:<hex>
 *
 * A reference that does not follow the grammar is refused (undefined), never guessed at: a
 * checker that reads an odd reference differently from the runtime is a bypass.
 */

export interface ImageReference {
  /** The registry host, lower case, with its port when given: 'docker.io', 'registry.example.com:5000'. */
  readonly registry: string;
  /** The repository path inside the registry: 'library/nginx', 'team/app'. */
  readonly path: string;
  readonly tag?: string;
  /** 'sha256:<hex>'. */
  readonly digest?: string;
}

/** The registry Docker Hub short names resolve to. */
export const DOCKER_HUB = 'docker.io';

/**
 * The grammar's pieces as regular-expression sources (RE2 reads them as JavaScript does): the
 * parser below and the trusted-registry guardrail's CEL (rule images/trusted-registry) use these.
 */
export const IMAGE_GRAMMAR = {
  pathComponent: '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*',
  /** A path component with no ".": a first component with one would name a registry host. */
  pathComponentNoDot: '[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*',
  tag: '[\\w][\\w.-]{0,127}',
  digest: '[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}',
  /** The longest reference the parser accepts. */
  maxLength: 4096,
} as const;

const whole = (source: string) => new RegExp(`^${source}$`);
const PATH_COMPONENT = whole(IMAGE_GRAMMAR.pathComponent);
const DOMAIN_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = whole(IMAGE_GRAMMAR.tag);
const DIGEST = whole(IMAGE_GRAMMAR.digest);

/** A registry host: DNS labels or a bracketed IPv6 address, with an optional port. */
function validHost(host: string): boolean {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return false;
  if (m[2] !== undefined && (Number(m[2]) === 0 || Number(m[2]) > 65535)) return false;
  if (m[1].startsWith('[')) return true;
  return m[1].split('.').every((l) => DOMAIN_LABEL.test(l));
}

/** True when the first component of a name is a registry host rather than a Docker Hub path. */
function isHostComponent(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first;
}

function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' ? DOCKER_HUB : lower;
}

/** Parses an image reference; undefined when it is not one. */
export function parseImageReference(reference: unknown): ImageReference | undefined {
  if (typeof reference !== 'string' || reference.length === 0 || reference.length > IMAGE_GRAMMAR.maxLength || /\s/.test(reference)) return undefined;
  const at = reference.indexOf('@');
  const nameAndTag = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = colon > slash ? nameAndTag.slice(0, colon) : nameAndTag;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const parts = name.split('/');
  let registry = DOCKER_HUB;
  let path = parts;
  if (parts.length > 1 && isHostComponent(parts[0])) {
    if (!validHost(parts[0])) return undefined;
    registry = normaliseHost(parts[0]);
    path = parts.slice(1);
  }
  if (path.length === 0 || !path.every((p) => PATH_COMPONENT.test(p))) return undefined;
  if (registry === DOCKER_HUB && path.length === 1) path = ['library', ...path];
  return { registry, path: path.join('/'), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** One trusted-registry entry: a registry host, and optionally a repository path prefix in it. */
export interface RegistryEntry {
  readonly registry: string;
  /** '' for the whole registry. */
  readonly pathPrefix: string;
}

/**
 * Parses a trusted-registry entry: 'registry.example.com', 'registry.example.com:5000',
 * 'registry.example.com/team', 'docker.io/library'. The first component must be a host (a dot,
 * a port or 'localhost'): a bare 'myorg' is refused rather than read as a Docker Hub path.
 * No schemes, wildcards, tags or digests. Undefined when malformed.
 */
export function parseRegistryEntry(entry: unknown): RegistryEntry | undefined {
  if (typeof entry !== 'string' || /\s/.test(entry)) return undefined;
  const parts = entry.replace(/\/+$/, '').split('/');
  if (parts[0] === '' || !isHostComponent(parts[0]) || !validHost(parts[0])) return undefined;
  const rest = parts.slice(1);
  if (!rest.every((p) => PATH_COMPONENT.test(p))) return undefined;
  return { registry: normaliseHost(parts[0]), pathPrefix: rest.join('/') };
}

/**
 * True when `image` comes from `entry`: the same registry host, port included (a host with and
 * without a port, or with another port, are different registries), and a repository path equal
 * to the entry's prefix or under it at a '/' boundary ('team' admits 'team/app', not 'teamx/app').
 */
export function fromRegistry(image: ImageReference, entry: RegistryEntry): boolean {
  if (image.registry !== entry.registry) return false;
  return entry.pathPrefix === '' || image.path === entry.pathPrefix || image.path.startsWith(`${entry.pathPrefix}/`);
}

/** The first entry of `trusted` that `reference` comes from, or undefined. Malformed entries match nothing. */
export function trustedEntryFor(reference: unknown, trusted: readonly string[]): string | undefined {
  const image = parseImageReference(reference);
  if (!image) return undefined;
  return trusted.find((t) => {
    const entry = parseRegistryEntry(t);
    return !!entry && fromRegistry(image, entry);
  });
}
