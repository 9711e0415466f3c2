import { celShort, waivedContainer } from '../../admission';
import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

/** `repo@sha256:<64 hex>`, optionally with a tag before the digest. */
export const DIGEST_PATTERN = /@sha256:[a-f0-9]{64}$/;

export const digestPinned: Rule = {
  id: 'images/digest-pinned',
  title: 'Images must be pinned by digest',
  severity: 'high',
  waivable: true,
  rationale: 'A tag is a mutable pointer: whoever can push to the registry decides what runs. A digest names exactly the bytes that were reviewed and scanned.',
  remediation: 'Reference the image by digest: Image.pinned("registry/repo", "sha256:<digest>") or "registry/repo@sha256:<digest>".',
  manifestRemediation: 'Set containers[].image to "registry/repo@sha256:<64 hex digits>", the digest of the image that was reviewed (a tag may stay before the @).',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: image scanning and provenance' },
    { source: 'kube-linter', id: 'latest-tag' },
    { source: 'Polaris', id: 'tagNotSpecified' },
    { source: 'kube-score', id: 'container-image-tag' },
    { source: 'Checkov', id: 'CKV_K8S_43' },
    { source: 'Trivy', id: 'KSV013' },
  ],
  admission: () => ({
    scope: 'production',
    pods: true,
    variables: [{
      name: 'unpinned',
      expression: `variables.containers.filter(c, !((has(c.image) && c.image.matches(r'${DIGEST_PATTERN.source}')) || ${waivedContainer('c')}))`,
    }],
    validations: [{
      expression: 'size(variables.unpinned) == 0',
      messageExpression: `'images not pinned by digest: ' + variables.unpinned.map(c, 'container "' + c.name + '" image "' + (has(c.image) ? ${celShort('c.image')} : '') + '"').join(', ')`,
      message: 'every image must be pinned by digest',
    }],
  }),
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => containersOf(site.spec)
      .filter((c) => !DIGEST_PATTERN.test(String(c.container.image ?? '')))
      .map((c) => ({
        path: join(site.path, c.path, 'image'),
        container: c.name,
        reason: 'image not pinned by digest',
        detail: `container "${c.name}" image "${c.container.image ?? ''}" is not pinned by digest`,
      })));
  },
};
