import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

const SENSITIVE: Array<[string, string, string[], string]> = [
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ['create', 'update', 'patch', 'delete', 'deletecollection'], 'can rewrite every object admitted to the cluster'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', ['create', 'update', 'patch', 'delete', 'deletecollection'], 'can switch off admission checks'],
  ['certificates.k8s.io', 'certificatesigningrequests/approval', ['update', 'patch'], 'can approve certificates, e.g. for system:masters'],
  ['certificates.k8s.io', 'signers', ['approve'], 'can approve certificates for a signer'],
  ['', 'serviceaccounts/token', ['create'], 'can mint tokens for any service account in scope'],
  ['', 'persistentvolumes', ['create'], 'can mount any host path through a PersistentVolume'],
];

export const noSensitiveApis: Rule = {
  id: 'rbac/no-sensitive-apis',
  title: 'Roles must not grant webhook configuration, CSR approval, token minting or PV creation',
  severity: 'high',
  waivable: true,
  rationale: 'These APIs let a subject reconfigure admission, issue itself credentials or reach node storage: each is an escalation path to cluster-admin.',
  remediation: 'Remove the grant; leave these APIs to the platform team\'s break-glass roles.',
  manifestRemediation: 'Remove the rules[] entry granting webhook configurations, certificatesigningrequests approval, serviceaccounts/token or persistentvolumes.',
  references: [
    { source: 'CIS', id: '5.1.9, 5.1.11, 5.1.12, 5.1.13' },
    { source: 'Checkov', id: 'CKV_K8S_155, CKV_K8S_156' },
    { source: 'Trivy', id: 'KSV114' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => SENSITIVE.flatMap(([group, resource, verbs, why]) => verbs
      .filter((verb) => grants(r, group, resource, verb)).slice(0, 1)
      .map((verb) => ({ path: r.path, reason: 'sensitive API', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on ${resource}: ${why}` }))));
  },
};
