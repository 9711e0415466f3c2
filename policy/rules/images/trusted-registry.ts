import { celShort, celString, waivedContainer } from '../../admission';
import { DOCKER_HUB, IMAGE_GRAMMAR, parseImageReference, parseRegistryEntry, RegistryEntry, trustedEntryFor } from '../../images';
import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function celRaw(re: string): string {
  if (re.includes("'")) throw new Error(`regex ${re} cannot be a raw CEL string`);
  return `r'${re}'`;
}

/**
 * CEL that is true when the image reference `img` comes from `entry`, with the verdict of
 * parseImageReference and fromRegistry (policy/images.ts) built from the same grammar: the
 * whole reference must follow it, the host compares case-insensitively (index.docker.io is
 * docker.io), the path must be the entry's prefix or below it at a "/", and a Docker Hub
 * short name is library/<name>.
 */
export function fromEntryCel(img: string, entry: RegistryEntry): string {
  const { pathComponent: comp, pathComponentNoDot: compNoDot, tag, digest } = IMAGE_GRAMMAR;
  const tail = `(?::${tag})?(?:@${digest})?$`;
  const prefix = entry.pathPrefix === '' ? [] : entry.pathPrefix.split('/');
  const lit = prefix.map(escapeRegex);
  const under = prefix.length === 0 ? `${comp}(?:/${comp})*` : `${lit.join('/')}(?:/${comp})*`;
  const m = (re: string) => `${img}.matches(${celRaw(re)})`;
  if (entry.registry !== DOCKER_HUB) {
    const test = m(`^(?i:${escapeRegex(entry.registry)})/${under}${tail}`);
    // A first component with no ".", no ":" and other than localhost is a host only when it has
    // an upper-case letter (lower-case, it is a Docker Hub path).
    const hostLike = /[.:]/.test(entry.registry) || entry.registry === 'localhost';
    return hostLike ? test : `(${test} && ${img}.split('/')[0] != ${img}.split('/')[0].lowerAscii())`;
  }
  // Docker Hub. Two components or more stay as they are; one component N is library/N.
  const several = prefix.length === 0 ? `${comp}(?:/${comp})+` : prefix.length === 1 ? `${lit[0]}(?:/${comp})+` : `${lit.join('/')}(?:/${comp})*`;
  const single = prefix.length === 0 || (prefix.length === 1 && prefix[0] === 'library') ? comp
    : prefix.length === 2 && prefix[0] === 'library' ? lit[1] : undefined;
  const hub = '^(?i:docker\\.io|index\\.docker\\.io)/';
  const alternatives = [m(`${hub}${several}${tail}`)];
  if (single !== undefined) alternatives.push(m(`${hub}${single}${tail}`), m(`^${single}${tail}`));
  // No host: the first of several components has no "." or ":" and is not localhost.
  if (prefix.length === 0 || (!prefix[0].includes('.') && prefix[0] !== 'localhost')) {
    const implicit = prefix.length === 0 ? `^${compNoDot}(?:/${comp})+${tail}` : `^${several}${tail}`;
    alternatives.push(`(${m(implicit)} && !${img}.startsWith('localhost/'))`);
  }
  return `(${alternatives.join(' || ')})`;
}

/** CEL: the image `img` comes from one of the trusted registries (malformed entries trust nothing). */
export function trustedImageCel(img: string, trusted: readonly string[]): string {
  const entries = trusted.map((t) => parseRegistryEntry(t)).filter((e): e is RegistryEntry => e !== undefined);
  if (entries.length === 0) return 'false';
  return `(size(${img}) <= ${IMAGE_GRAMMAR.maxLength} && (${entries.map((e) => fromEntryCel(img, e)).join(' || ')}))`;
}

export const trustedRegistry: Rule = {
  id: 'images/trusted-registry',
  title: 'Images must come from a trusted registry',
  severity: 'high',
  waivable: true,
  rationale: 'Whoever controls the registry an image comes from decides what runs, and a digest only pins bytes that registry served. Images from registries outside the reviewed list (a typo-squatted Docker Hub name, a lookalike host) bypass scanning and provenance controls.',
  remediation: 'Pull the image from a registry in the trusted list (mirror it there), or add its registry, or registry/path prefix, to the list configured for this object (BulwarkChart / `bulwark check`).',
  manifestRemediation: 'Set containers[].image to a copy of the image in a trusted registry (mirror it there), or name its registry with bulwark check --trusted-registry if it is trusted.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: image scanning and provenance' },
    { source: 'Trivy', id: 'KSV0125' },
    { source: 'Gatekeeper', id: 'k8sallowedrepos' },
  ],
  admission: (settings) => ({
    // Namespaces labelled production (IsolatedNamespace labels them from its chart's environment).
    scope: 'production',
    pods: true,
    variables: [{
      name: 'untrusted',
      expression: `variables.containers.filter(c, !((has(c.image) && ${trustedImageCel('c.image', settings.trustedRegistries)}) || ${waivedContainer('c')}))`,
    }],
    validations: [{
      expression: 'size(variables.untrusted) == 0',
      messageExpression: `'images from a registry that is not trusted: ' + variables.untrusted.map(c, 'container "' + c.name + '" image "' + (has(c.image) ? ${celShort('c.image')} : '') + '"').join(', ') + ${celString(` (trusted: ${settings.trustedRegistries.join(', ') || 'none'})`)}`,
      message: 'every image must come from a trusted registry',
    }],
  }),
  check(object, context): Violation[] {
    const trusted = context.trustedRegistriesOf(object);
    if (trusted === undefined) return [];
    const ignored = trusted.filter((t) => !parseRegistryEntry(t));
    const listed = `trusted: ${trusted.filter((t) => parseRegistryEntry(t)).join(', ') || 'none'}${ignored.length > 0 ? `; malformed entries ignored: ${ignored.map((t) => JSON.stringify(t)).join(', ')}` : ''}`;
    // Init, regular and ephemeral containers of every pod spec the object carries.
    return podSitesIn(object, context).flatMap((site) => containersOf(site.spec).flatMap((c): Violation[] => {
      const image = c.container.image;
      if (trustedEntryFor(image, trusted) !== undefined) return [];
      const parsed = parseImageReference(image);
      return [{
        path: join(site.path, c.path, 'image'),
        container: c.name,
        reason: parsed ? 'untrusted registry' : 'unparseable image reference',
        detail: parsed
          ? `container "${c.name}" image "${image}" comes from ${parsed.registry}/${parsed.path}, which is not in a trusted registry (${listed})`
          : `container "${c.name}" image ${JSON.stringify(image ?? null)} is not a valid image reference, so its registry cannot be trusted (${listed})`,
      }];
    }));
  },
};
