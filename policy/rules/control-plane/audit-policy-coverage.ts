import { Rule, Violation } from '../../types';
import { AuditLevel, auditLevelOf, AuditRequest, AuditRule, isAuditPolicy, levelRank } from './audit-policy';

type Want = 'exactly Metadata' | 'at least Metadata' | 'RequestResponse';

interface Probe {
  readonly what: string;
  readonly want: Want;
  readonly group: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly clusterScoped?: boolean;
}

const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** Connect subresources are audited with the HTTP method's verb: get (websocket upgrade) or create (POST). */
const CONNECT = ['get', 'create'];

/** Requests the policy must record, and at which level. */
export const AUDIT_PROBES: readonly Probe[] = [
  { what: 'Secret access', want: 'exactly Metadata', group: '', resources: ['secrets'], verbs: READ_WRITE },
  { what: 'ConfigMap access', want: 'exactly Metadata', group: '', resources: ['configmaps'], verbs: READ_WRITE },
  { what: 'ServiceAccount token requests', want: 'exactly Metadata', group: '', resources: ['serviceaccounts/token'], verbs: ['create'] },
  { what: 'TokenReviews', want: 'exactly Metadata', group: 'authentication.k8s.io', resources: ['tokenreviews'], verbs: ['create'], clusterScoped: true },
  { what: 'exec, attach, port-forward and proxy', want: 'at least Metadata', group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy'], verbs: CONNECT },
  { what: 'the kubelet proxy', want: 'at least Metadata', group: '', resources: ['nodes/proxy'], verbs: CONNECT, clusterScoped: true },
  { what: 'Pod changes', want: 'at least Metadata', group: '', resources: ['pods'], verbs: WRITES },
  { what: 'Deployment changes', want: 'at least Metadata', group: 'apps', resources: ['deployments'], verbs: WRITES },
  { what: 'RBAC changes', want: 'RequestResponse', group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings'], verbs: WRITES },
  { what: 'RBAC changes', want: 'RequestResponse', group: 'rbac.authorization.k8s.io', resources: ['clusterroles', 'clusterrolebindings'], verbs: WRITES, clusterScoped: true },
  {
    what: 'admission policy and webhook changes', want: 'RequestResponse', group: 'admissionregistration.k8s.io', verbs: WRITES, clusterScoped: true,
    resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
  },
  { what: 'CustomResourceDefinition changes', want: 'RequestResponse', group: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'], verbs: WRITES, clusterScoped: true },
  { what: 'NetworkPolicy changes', want: 'RequestResponse', group: 'networking.k8s.io', resources: ['networkpolicies'], verbs: WRITES },
  { what: 'Namespace changes', want: 'RequestResponse', group: '', resources: ['namespaces'], verbs: WRITES, clusterScoped: true },
  { what: 'any other request (a catch-all)', want: 'at least Metadata', group: 'bulwark-probe.example.com', resources: ['widgets'], verbs: ['get', 'create'] },
];

const WANT_TEXT: Record<Want, string> = {
  'exactly Metadata': 'at Metadata, no more (a higher level writes the data itself into the log) and no less',
  'at least Metadata': 'at Metadata or above',
  RequestResponse: 'at RequestResponse, with the request and response bodies',
};

function satisfies(level: AuditLevel, want: Want): boolean {
  if (want === 'exactly Metadata') return level === 'Metadata';
  if (want === 'at least Metadata') return levelRank(level) >= levelRank('Metadata');
  return level === 'RequestResponse';
}

/**
 * Who and where to probe: an ordinary user, and every user, group and namespace the policy names,
 * so that a rule scoped to one identity (a None rule for a noisy controller) is probed too.
 */
function identities(rules: readonly AuditRule[]): { subjects: Array<{ user: string; groups: string[] }>; namespaces: string[] } {
  const subjects = [{ user: 'bulwark-probe', groups: ['system:authenticated'] }];
  const namespaces = new Set(['bulwark-probe']);
  for (const r of rules) {
    for (const u of r.users ?? []) subjects.push({ user: u, groups: ['system:authenticated'] });
    for (const g of r.userGroups ?? []) subjects.push({ user: 'bulwark-probe', groups: [g, 'system:authenticated'] });
    for (const n of r.namespaces ?? []) if (n) namespaces.add(n);
  }
  return { subjects, namespaces: [...namespaces] };
}

/** One violation per probe class and rule, naming the first request that breaks it. */
export function auditCoverageViolations(rules: readonly AuditRule[]): Violation[] {
  const { subjects, namespaces } = identities(rules);
  const out = new Map<string, Violation>();
  for (const p of AUDIT_PROBES) {
    for (const s of subjects) for (const ns of p.clusterScoped ? [''] : namespaces) for (const combined of p.resources) for (const verb of p.verbs) {
      const [resource, subresource] = combined.split('/');
      const req: AuditRequest = { ...s, verb, resource: { group: p.group, resource, subresource, namespace: ns } };
      const { level, index } = auditLevelOf(rules, req);
      if (satisfies(level, p.want)) continue;
      const key = `${p.what}|${index}`;
      if (out.has(key)) continue;
      const by = index < 0 ? 'no rule (so None)' : `rules[${index}]`;
      out.set(key, {
        path: index < 0 ? 'rules' : `rules[${index}]`,
        reason: `${p.what} audited at ${level}`,
        detail: `${verb} ${combined}${ns ? ` in namespace "${ns}"` : ''} by "${s.user}"${s.groups.length > 1 ? ` (group "${s.groups[0]}")` : ''} is audited at ${level} by ${by}: ${p.what} must be audited ${WANT_TEXT[p.want]}`,
      });
    }
  }
  return [...out.values()];
}

export const auditPolicyCoverage: Rule = {
  id: 'control-plane/audit-policy-coverage',
  title: 'The audit policy must record Secret access without the data, exec and proxy use, and sensitive changes in full',
  severity: 'high',
  waivable: true,
  rationale: 'An audit log is only evidence if it records who read which Secret (but never the Secret itself: a log at Request level is a copy of every credential), every exec, attach, port-forward and proxy session, and the full body of RBAC, admission, CRD, NetworkPolicy and Namespace changes. A None rule placed before these, or a missing catch-all, silently drops them.',
  remediation: 'Record Secrets, ConfigMaps, token requests and TokenReviews at Metadata; exec, attach, port-forward and proxy at Metadata or above; writes to RBAC, admission policies and webhooks, CRDs, NetworkPolicies and Namespaces at RequestResponse; end with a Metadata catch-all; scope None rules to a user or group and to what is noisy, after these rules.',
  manifestRemediation: 'In the audit Policy add rules: Metadata for secrets, configmaps, serviceaccounts/token and tokenreviews; Metadata or above for pods/exec, attach, portforward and proxy; RequestResponse for writes to RBAC, admission policies and webhooks, CRDs, NetworkPolicies and Namespaces; and a final level: Metadata catch-all.',
  references: [
    { source: 'CIS', id: '3.2.1, 3.2.2' },
    { source: 'Kubernetes', id: 'Auditing', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' },
  ],
  check(object): Violation[] {
    if (!isAuditPolicy(object)) return [];
    const rules: AuditRule[] = Array.isArray(object.rules) ? object.rules : [];
    return auditCoverageViolations(rules);
  },
};
