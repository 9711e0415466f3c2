import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

/** UIDs and GIDs below this may collide with host accounts. */
export const MIN_ID = 10000;

export const highUidGid: Rule = {
  id: 'workloads/high-uid-gid',
  title: `Containers must run with an explicit UID and GID of ${MIN_ID} or more`,
  severity: 'low',
  waivable: true,
  rationale: 'A UID below 10000 can match a real host account; after a container escape the process then owns that user\'s files.',
  remediation: `Set securityContext.runAsUser and runAsGroup on the pod to ${MIN_ID} or more.`,
  manifestRemediation: 'Set spec.securityContext.runAsUser and runAsGroup to 10000 or more on the pod.',
  references: [
    { source: 'kube-score', id: 'container-security-context-user-group-id' },
    { source: 'Checkov', id: 'CKV_K8S_40' },
    { source: 'Trivy', id: 'KSV020, KSV021' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => {
      const pod = site.spec.securityContext ?? {};
      return containersOf(site.spec).flatMap((c) => {
      const sc = c.container.securityContext ?? {};
      const bad = (['runAsUser', 'runAsGroup'] as const).filter((f) => {
        const id = sc[f] ?? pod[f];
        return typeof id !== 'number' || id < MIN_ID;
      });
      return bad.length === 0 ? [] : [{
        path: join(site.path, c.path, 'securityContext'),
        container: c.name,
        reason: 'low or unset UID/GID',
        detail: `container "${c.name}" must run with ${bad.map((f) => `${f} >= ${MIN_ID} (is ${sc[f] ?? pod[f] ?? 'unset'})`).join(' and ')}`,
      }];
      });
    });
  },
};
