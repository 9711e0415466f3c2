import { Rule, Violation } from '../../types';

export const noExternalServices: Rule = {
  id: 'network/no-external-services',
  title: 'Services must not be NodePort or LoadBalancer',
  severity: 'medium',
  waivable: true,
  rationale: 'NodePort opens a port on every node, past NetworkPolicy on many CNIs; LoadBalancer puts the service on the internet. Exposure belongs at a reviewed ingress.',
  remediation: 'Use a ClusterIP Service behind the platform\'s ingress; if a namespace really needs one, waive this rule on the Service and raise its quota with the same waiver.',
  references: [
    { source: 'kube-score', id: 'service-type' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation' },
  ],
  check(object): Violation[] {
    if (object.kind !== 'Service' || !['NodePort', 'LoadBalancer'].includes(object.spec?.type)) return [];
    return [{ path: 'spec.type', reason: 'externally exposed service', detail: `Service type is ${object.spec.type}` }];
  },
};
