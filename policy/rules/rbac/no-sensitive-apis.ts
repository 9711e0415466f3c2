import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const SENSITIVE: Array<[string, string, string[], string]> = [
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ['create', 'update', 'patch', 'delete', 'deletecollection'], 'can rewrite every object admitted to the cluster'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', ['create', 'update', 'patch', 'delete', 'deletecollection'], 'can switch off admission checks'],
  ['certificates.k8s.io', 'certificatesigningrequests/approval', ['update', 'patch'], 'can approve certificates, e.g. for system:masters'],
  ['certificates.k8s.io', 'signers', ['approve'], 'can approve certificates for a signer'],
  ['certificates.k8s.io', 'certificatesigningrequests/nodeclient', ['create'], 'has the CSR approver sign it a client certificate as any system:node:<name>, which reads every secret of that node\'s pods'],
  ['', 'serviceaccounts/token', ['create'], 'can mint tokens for any service account in scope'],
  ['', 'persistentvolumes', ['create'], 'can mount any host path through a PersistentVolume'],
  ['', 'pods/binding', ['create'], 'can bind pods to any node, past the scheduler, every taint and every dedicated pool'],
  ['', 'bindings', ['create'], 'can bind pods to any node, past the scheduler, every taint and every dedicated pool'],
  ['', 'nodes', ['create'], 'can register Node objects carrying any label, a dedicated pool\'s included, to attract pods'],
  ['node.k8s.io', 'runtimeclasses', WRITES, 'can change the handler and the tolerations and node selector merged into every pod that names a RuntimeClass'],
  ['apiextensions.k8s.io', 'customresourcedefinitions', WRITES, 'can point a conversion webhook of its choosing at every object of a custom resource (reading and rewriting them), or delete a CRD and every object of it'],
  ['apiregistration.k8s.io', 'apiservices', WRITES, 'can route a whole API group to a service of its choosing, which then receives every request to that group and answers it'],
];

export const noSensitiveApis: Rule = {
  id: 'rbac/no-sensitive-apis',
  title: 'Roles must not grant webhook configuration, CSR approval, token minting, PV creation, pod binding, node registration, or changes to RuntimeClasses, CRDs and APIServices',
  severity: 'high',
  waivable: true,
  rationale: 'These APIs let a subject reconfigure admission, issue itself credentials or reach node storage: each is an escalation path to cluster-admin. '
    + 'CustomResourceDefinitions and APIServices are the same path one step removed: a CRD\'s conversion webhook, like an admission webhook, '
    + 'receives and rewrites every object of that resource, and an APIService hands every request of its API group to the service it names.',
  remediation: 'Remove the grant; leave these APIs to the platform team\'s break-glass roles.',
  manifestRemediation: 'Remove the rules[] entry granting webhook configurations, certificatesigningrequests approval or nodeclient, serviceaccounts/token, persistentvolumes, pods/binding or bindings, nodes create, writes to runtimeclasses, or writes to customresourcedefinitions and apiservices.',
  references: [
    { source: 'CIS', id: '5.1.9, 5.1.11, 5.1.12, 5.1.13' },
    { source: 'Checkov', id: 'CKV_K8S_155, CKV_K8S_156' },
    { source: 'Trivy', id: 'KSV114' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Control admission webhooks', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks' },
    { source: 'Kubernetes', id: 'CustomResourceDefinition versions: Webhook conversion', url: 'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#webhook-conversion' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => SENSITIVE.flatMap(([group, resource, verbs, why]) => verbs
      .filter((verb) => grants(r, group, resource, verb)).slice(0, 1)
      .map((verb) => ({ path: r.path, reason: 'sensitive API', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on ${resource}: ${why}` }))));
  },
};
