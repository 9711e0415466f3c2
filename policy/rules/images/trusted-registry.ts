import { parseImageReference, parseRegistryEntry, trustedEntryFor } from '../../images';
import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

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
