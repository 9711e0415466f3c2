import { isKindOf } from '../../config-files';
import { KubeObject, Rule, Violation } from '../../types';
import { componentFlags, flagViolation, isFalse } from './flags';
import { ANONYMOUS_PATHS } from './hardening';

const AUTHN_GROUPS = ['apiserver.config.k8s.io'];

/** What the anonymous section of an AuthenticationConfiguration allows beyond the health and discovery paths. */
function anonymousProblem(config: KubeObject): string | undefined {
  const anonymous = config.anonymous;
  if (!anonymous || anonymous.enabled !== true) return undefined;
  const paths: string[] = (Array.isArray(anonymous.conditions) ? anonymous.conditions : []).map((c: any) => String(c?.path));
  if (paths.length === 0) return 'anonymous.enabled is true with no conditions, so every path is open to anonymous requests';
  const extra = paths.filter((p) => !ANONYMOUS_PATHS.has(p));
  return extra.length > 0 ? `anonymous.conditions open ${extra.map((p) => `"${p}"`).join(', ')} to anonymous requests` : undefined;
}

export const apiserverAnonymousAuth: Rule = {
  id: 'control-plane/apiserver-anonymous-auth',
  title: 'The API server must refuse anonymous requests, except to its health endpoints',
  severity: 'high',
  waivable: false,
  rationale: 'An anonymous request that no authenticator rejects is served as system:anonymous; one RBAC mistake (a binding to system:unauthenticated) then opens the API to the network. Anonymous access is needed at most by health probes and kubeadm\'s token discovery.',
  remediation: 'Set --anonymous-auth=false, or give the AuthenticationConfiguration (--authentication-config) an anonymous section that is disabled or limited by conditions to /livez, /readyz, /healthz (and kubeadm\'s cluster-info ConfigMap), and then do not set --anonymous-auth.',
  manifestRemediation: 'Set --anonymous-auth=false on the kube-apiserver command (kubeadm: apiServer.extraArgs), or, with --authentication-config, give the AuthenticationConfiguration an anonymous section limited by conditions to /livez, /readyz and /healthz.',
  references: [
    { source: 'CIS', id: '1.2.1' },
    { source: 'Checkov', id: 'CKV_K8S_68' },
    { source: 'Kubernetes', id: 'AuthenticationConfiguration anonymous', url: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration' },
  ],
  check(object, context): Violation[] {
    if (isKindOf(object, AUTHN_GROUPS, 'AuthenticationConfiguration')) {
      const problem = anonymousProblem(object);
      return problem ? [{ path: 'anonymous', reason: 'anonymous access', detail: `AuthenticationConfiguration ${problem}` }] : [];
    }
    const flags = componentFlags(object, 'apiServer');
    if (!flags) return [];
    // With --authentication-config, the file's anonymous section (when present) decides; the
    // API server refuses to start when --anonymous-auth is set as well.
    const config = flags.has('authentication-config') ? context.ofKind('AuthenticationConfiguration').find((o) => isKindOf(o, AUTHN_GROUPS, 'AuthenticationConfiguration')) : undefined;
    if (config?.anonymous) {
      return flags.has('anonymous-auth')
        ? [flagViolation(flags, 'anonymous-auth', 'conflicting anonymous settings', 'must not be set when the AuthenticationConfiguration has an anonymous section (the API server refuses to start)')]
        : [];
    }
    return isFalse(flags.get('anonymous-auth')) ? [] : [flagViolation(flags, 'anonymous-auth', 'anonymous access', 'must be "false" (it defaults to true), or use an AuthenticationConfiguration anonymous section limited to the health endpoints')];
  },
};
