import { ALLOW_EXTERNAL_SERVICES_LABEL } from '../../admission';
import { Rule, Violation } from '../../types';
import { NAMESPACE_ALLOWS_EXTERNAL, namespaceAllowsExternal } from './no-external-services';

export const noExternalIps: Rule = {
  id: 'network/no-external-ips',
  title: 'Services must not set externalIPs',
  severity: 'high',
  waivable: true,
  rationale: 'Any address in a Service\'s spec.externalIPs is captured by kube-proxy on every node: whoever can create a Service can intercept the cluster\'s traffic to that address, an external database or API included (CVE-2020-8554, unfixed by design).',
  remediation: `Remove spec.externalIPs and expose the Service through the platform's ingress or load balancer; enable the DenyServiceExternalIPs admission plugin on the API server. A namespace labelled ${ALLOW_EXTERNAL_SERVICES_LABEL}=true (through a waiver of network/no-external-services) may set them.`,
  manifestRemediation: 'Remove spec.externalIPs from the Service and publish it through an Ingress, a Gateway or a load balancer.',
  references: [
    { source: 'Kubernetes', id: 'CVE-2020-8554 (issue 97076)', url: 'https://github.com/kubernetes/kubernetes/issues/97076' },
    { source: 'Kubernetes', id: 'DenyServiceExternalIPs admission plugin' },
    { source: 'Kyverno', id: 'restrict-external-ips' },
    { source: 'Gatekeeper', id: 'k8sexternalips' },
  ],
  admission: () => ({
    scope: 'cluster',
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: ['CREATE', 'UPDATE'] }],
    variables: [NAMESPACE_ALLOWS_EXTERNAL],
    validations: [{
      expression: 'variables.waivedObject || variables.namespaceAllows || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
      messageExpression: `'Service "' + object.metadata.name + '" sets externalIPs ' + object.spec.externalIPs.join(', ') + ', which kube-proxy captures on every node, in a namespace not labelled ${ALLOW_EXTERNAL_SERVICES_LABEL}=true'`,
      message: 'Services must not set externalIPs',
    }],
  }),
  check(object, context): Violation[] {
    if (object.kind !== 'Service' || namespaceAllowsExternal(object, context)) return [];
    const ips = object.spec?.externalIPs;
    // Any non-empty value, whatever its shape: the API server would either reject it or route it.
    if (ips === undefined || ips === null || (Array.isArray(ips) && ips.length === 0)) return [];
    const list = Array.isArray(ips) ? ips.map(String).join(', ') : JSON.stringify(ips);
    return [{ path: 'spec.externalIPs', reason: 'external IPs', detail: `Service sets externalIPs ${list}, which kube-proxy captures on every node (CVE-2020-8554)` }];
  },
};
