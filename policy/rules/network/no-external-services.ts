import { Rule, Violation } from '../../types';

export const noExternalServices: Rule = {
  id: 'network/no-external-services',
  title: 'Services must not be NodePort or LoadBalancer, nor quotas admit them',
  severity: 'medium',
  waivable: true,
  rationale: 'NodePort opens a port on every node, past NetworkPolicy on many CNIs; LoadBalancer puts the service on the internet. Exposure belongs at a reviewed ingress.',
  remediation: 'Use a ClusterIP Service behind the platform\'s ingress; if a namespace really needs one, waive this rule on the Service and raise its quota with the same waiver.',
  manifestRemediation: 'Set spec.type: ClusterIP (or leave it out) and publish through an Ingress or Gateway; a Service that must be exposed carries a bulwark.dev/waivers annotation for this rule with a reason and an expiry.',
  references: [
    { source: 'kube-score', id: 'service-type' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation' },
  ],
  check(object): Violation[] {
    // A quota that admits such Services is the namespace-wide form of the same exposure.
    if (object.kind === 'ResourceQuota') {
      return ['services.loadbalancers', 'services.nodeports']
        .filter((k) => object.spec?.hard?.[k] !== undefined && !/^0+(\.0*)?$/.test(String(object.spec.hard[k])))
        .map((k) => ({ path: `spec.hard["${k}"]`, reason: 'quota admits externally exposed services', detail: `ResourceQuota allows ${object.spec.hard[k]} ${k === 'services.loadbalancers' ? 'LoadBalancer' : 'NodePort'} Services` }));
    }
    if (object.kind !== 'Service' || !['NodePort', 'LoadBalancer'].includes(object.spec?.type)) return [];
    return [{ path: 'spec.type', reason: 'externally exposed service', detail: `Service type is ${object.spec.type}` }];
  },
};
