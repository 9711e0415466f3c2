import { ALLOW_EXTERNAL_SERVICES_LABEL, labelOf } from '../../admission';
import { CelNamed, KubeObject, Rule, RuleContext, Violation } from '../../types';

/**
 * True when the object's namespace, found among the objects, is labelled to allow external
 * Services (bulwark.dev/allow-external-services=true, which itself needs a waiver of this rule).
 */
export function namespaceAllowsExternal(object: KubeObject, context: RuleContext): boolean {
  const ns = object.metadata?.namespace ?? 'default';
  // Only a v1 Namespace is one: an object of another group named "Namespace" allows nothing.
  return context.ofKind('Namespace').some((n) => n.apiVersion === 'v1' && n.metadata?.name === ns && n.metadata?.labels?.[ALLOW_EXTERNAL_SERVICES_LABEL] === 'true');
}

/** CEL: the request's namespace is labelled to allow external Services. */
export const NAMESPACE_ALLOWS_EXTERNAL: CelNamed = {
  name: 'namespaceAllows',
  expression: `namespaceObject != null && ${labelOf('namespaceObject', ALLOW_EXTERNAL_SERVICES_LABEL)} == 'true'`,
};

const QUOTA_KEYS = ['services.loadbalancers', 'services.nodeports'];
/** A quota value that admits none. */
const ZERO = /^0+(\.0*)?$/;

export const noExternalServices: Rule = {
  id: 'network/no-external-services',
  title: 'Services must not be NodePort or LoadBalancer, nor quotas admit them',
  severity: 'medium',
  waivable: true,
  rationale: 'NodePort opens a port on every node, past NetworkPolicy on many CNIs; LoadBalancer puts the service on the internet. Exposure belongs at a reviewed ingress.',
  remediation: `Use a ClusterIP Service behind the platform's ingress; if a namespace really needs one, waive this rule on the Service and raise its quota with the same waiver, or waive it on the namespace (IsolatedNamespace then labels it ${ALLOW_EXTERNAL_SERVICES_LABEL}=true, which lets its Services be exposed).`,
  manifestRemediation: 'Set spec.type: ClusterIP (or leave it out) and publish through an Ingress or Gateway; a Service that must be exposed carries a bulwark.dev/waivers annotation for this rule with a reason and an expiry.',
  references: [
    { source: 'kube-score', id: 'service-type' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation' },
  ],
  admission: () => ({
    scope: 'cluster',
    resourceRules: [
      { apiGroups: [''], apiVersions: ['v1'], resources: ['services', 'resourcequotas', 'namespaces'], operations: ['CREATE', 'UPDATE'] },
    ],
    variables: [
      NAMESPACE_ALLOWS_EXTERNAL,
      {
        name: 'quotaAdmits',
        expression: `object.kind == 'ResourceQuota' && has(object.spec.hard) ? ${JSON.stringify(QUOTA_KEYS).replace(/"/g, "'")}.filter(k, k in object.spec.hard && !string(object.spec.hard[k]).matches(r'${ZERO.source}')) : []`,
      },
    ],
    validations: [
      {
        expression: "object.kind != 'Service' || variables.waivedObject || variables.namespaceAllows || !has(object.spec.type) || !(object.spec.type in ['NodePort', 'LoadBalancer'])",
        messageExpression: `'Service "' + object.metadata.name + '" is of type ' + object.spec.type + ' in a namespace not labelled ${ALLOW_EXTERNAL_SERVICES_LABEL}=true'`,
        message: 'Services must not be NodePort or LoadBalancer',
      },
      {
        expression: 'variables.waivedObject || size(variables.quotaAdmits) == 0',
        messageExpression: `'ResourceQuota "' + object.metadata.name + '" admits externally exposed Services: ' + variables.quotaAdmits.map(k, k + '=' + string(object.spec.hard[k])).join(', ')`,
        message: 'quotas must not admit NodePort or LoadBalancer Services',
      },
      {
        expression: `object.kind != 'Namespace' || variables.waivedObject || ${labelOf('object', ALLOW_EXTERNAL_SERVICES_LABEL)} != 'true'`,
        messageExpression: `'Namespace "' + object.metadata.name + '" is labelled ${ALLOW_EXTERNAL_SERVICES_LABEL}=true without a waiver'`,
        message: 'only a waiver lets a namespace allow external Services',
      },
    ],
  }),
  check(object, context): Violation[] {
    // A quota that admits such Services is the namespace-wide form of the same exposure.
    if (object.kind === 'ResourceQuota') {
      return QUOTA_KEYS
        .filter((k) => object.spec?.hard?.[k] !== undefined && !ZERO.test(String(object.spec.hard[k])))
        .map((k) => ({ path: `spec.hard["${k}"]`, reason: 'quota admits externally exposed services', detail: `ResourceQuota allows ${object.spec.hard[k]} ${k === 'services.loadbalancers' ? 'LoadBalancer' : 'NodePort'} Services` }));
    }
    if (object.kind === 'Namespace') {
      // Allowing exposure is relaxing this rule for a whole namespace: only through a waiver.
      if (object.metadata?.labels?.[ALLOW_EXTERNAL_SERVICES_LABEL] !== 'true') return [];
      return [{ path: `metadata.labels["${ALLOW_EXTERNAL_SERVICES_LABEL}"]`, reason: 'namespace allows external services', detail: `Namespace is labelled ${ALLOW_EXTERNAL_SERVICES_LABEL}=true, which lets its Services be NodePort or LoadBalancer and set externalIPs` }];
    }
    if (object.kind !== 'Service' || !['NodePort', 'LoadBalancer'].includes(object.spec?.type)) return [];
    if (namespaceAllowsExternal(object, context)) return [];
    return [{ path: 'spec.type', reason: 'externally exposed service', detail: `Service type is ${object.spec.type}` }];
  },
};
