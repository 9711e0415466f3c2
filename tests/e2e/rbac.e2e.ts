/**
 * RBAC, checked by the real authorizer: for every ServiceAccount, group and user a stack names, a
 * SubjectAccessReview matrix must show exactly the permissions the stack declares and nothing more.
 */
import * as k8s from '@kubernetes/client-node';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { applyAll, kubeConfig } from './helpers/kube';
import { declaredAllows, probes, subjectsOf, Subject } from './helpers/rbac-model';

const stacks = shippedStacks();

function userOf(s: Subject): { user?: string; groups?: string[] } {
  if (s.kind === 'ServiceAccount') return { user: `system:serviceaccount:${s.namespace}:${s.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${s.namespace}`, 'system:authenticated'] };
  if (s.kind === 'Group') return { user: 'bulwark-e2e-probe', groups: [s.name, 'system:authenticated'] };
  return { user: s.name, groups: ['system:authenticated'] };
}

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  beforeAll(async () => {
    await ensureHttpRouteCrd(stack.objects);
    await applyAll(stack.objects);
  });

  test('each subject has exactly its declared permissions, and no escalation path', async () => {
    const authz = kubeConfig().makeApiClient(k8s.AuthorizationV1Api);
    const namespaces = stack.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name!);
    const subjects = subjectsOf(stack.objects);
    expect(subjects.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    let asked = 0;
    for (const s of subjects) {
      for (const a of probes(namespaces, stack.objects)) {
        const review = await authz.createSubjectAccessReview({
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { ...userOf(s), resourceAttributes: { namespace: a.namespace, group: a.group, resource: a.resource, subresource: a.subresource, verb: a.verb, name: a.name } } },
        });
        asked++;
        const allowed = review.status?.allowed === true;
        if (allowed !== declaredAllows(stack.objects, s, a)) {
          wrong.push(`${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}: ${a.verb} ${a.group || 'core'}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in ${a.namespace}` : ''} is ${allowed ? 'allowed' : 'denied'} by the cluster`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(asked).toBeGreaterThan(100);
    // The matrix is not vacuous: a stack that binds roles really grants something; one that binds
    // none (every workload without grants) grants nothing at all.
    const granted = subjects.flatMap((s) => probes(namespaces, stack.objects).filter((a) => declaredAllows(stack.objects, s, a)));
    if (stack.objects.some((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) expect(granted.length).toBeGreaterThan(0);
    else expect(granted).toEqual([]);
  });
});
