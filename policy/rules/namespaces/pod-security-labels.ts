import { assertSupportedVersion } from '../../kubernetes-versions';
import { Rule, Violation } from '../../types';
import { SHARED_NAMESPACES } from './no-default-namespace';

const PREFIX = 'pod-security.kubernetes.io/';

export const podSecurityLabels: Rule = {
  id: 'namespaces/pod-security-labels',
  title: 'Namespaces must enforce Pod Security "restricted", pinned to a supported minor',
  severity: 'high',
  waivable: true,
  rationale: 'Pod Security Admission is the cluster\'s own backstop for every pod, whatever created it. Pinning the enforce version keeps an upgrade from changing what is admitted; an end-of-life version pins the checks of an unpatched release.',
  remediation: 'Label the namespace pod-security.kubernetes.io/enforce=restricted with enforce-version set to the cluster\'s supported minor (IsolatedNamespace does this), and audit/warn restricted at latest.',
  manifestRemediation: 'Label the Namespace pod-security.kubernetes.io/enforce: restricted with pod-security.kubernetes.io/enforce-version: v1.<the cluster\'s minor>, and audit and warn: restricted.',
  references: [
    { source: 'PSA', id: 'pod-security.kubernetes.io/enforce, enforce-version', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
    { source: 'CIS', id: '5.2.1' },
  ],
  check(object, context): Violation[] {
    if (object.kind !== 'Namespace' || SHARED_NAMESPACES.has(object.metadata?.name ?? '')) return [];
    const labels = object.metadata?.labels ?? {};
    const out: Violation[] = [];
    const at = (k: string) => `metadata.labels["${PREFIX}${k}"]`;
    if (labels[`${PREFIX}enforce`] !== 'restricted') {
      out.push({ path: at('enforce'), reason: 'Pod Security not enforced', detail: `namespace enforces "${labels[`${PREFIX}enforce`] ?? 'nothing'}" instead of "restricted"` });
    }
    const pinned = labels[`${PREFIX}enforce-version`];
    if (!pinned || pinned === 'latest') {
      out.push({ path: at('enforce-version'), reason: 'Pod Security version not pinned', detail: `enforce-version is "${pinned ?? 'unset'}"; pin it to the cluster minor, e.g. "v1.36"` });
    } else {
      try {
        assertSupportedVersion(pinned, context.now, 'enforce-version');
      } catch (e) {
        out.push({ path: at('enforce-version'), reason: 'Pod Security version unsupported', detail: (e as Error).message });
      }
    }
    for (const mode of ['audit', 'warn']) {
      if (labels[`${PREFIX}${mode}`] !== 'restricted') {
        out.push({ path: at(mode), reason: `Pod Security ${mode} not restricted`, detail: `namespace must set ${PREFIX}${mode}=restricted` });
      }
    }
    return out;
  },
};
