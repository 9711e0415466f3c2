import { Rule, Violation } from '../../types';

/**
 * Where a Service's traffic goes is decided by its selector, through the endpoint controllers.
 * Endpoints and EndpointSlices written by hand, and ExternalName Services, point it anywhere
 * instead: another team's pod IPs, a cloud metadata address other than the link-local one (the API
 * server refuses only loopback and link-local endpoint addresses), or a DNS name.
 */
export const noManualEndpoints: Rule = {
  id: 'network/no-manual-endpoints',
  title: 'Services must reach pods through their selector, not hand-made endpoints or ExternalName',
  severity: 'high',
  waivable: true,
  rationale: 'A hand-made Endpoints or EndpointSlice, or an ExternalName Service, sends the Service\'s traffic wherever it says: an ingress controller or a Gateway proxying to that Service then reaches, with its own network identity, addresses no NetworkPolicy of the team allows (another team\'s pods, 100.100.100.200, fd00:ec2::254, an internal host name). This is CVE-2021-25740 written straight into the manifests.',
  remediation: 'Give the Service a selector and let the endpoint controllers fill it in; to reach something outside the cluster, allow it by allowEgress on the workload that calls it.',
  manifestRemediation: 'Remove the Endpoints or EndpointSlice object (or the Service\'s type: ExternalName) and give the Service a spec.selector for the pods it fronts; a selectorless Service for an external system takes a Waiver that names the address and who reviewed it.',
  references: [
    { source: 'Kubernetes', id: 'CVE-2021-25740: Endpoint and EndpointSlice permissions allow cross-namespace forwarding', url: 'https://github.com/kubernetes/kubernetes/issues/103675' },
    { source: 'Kubernetes', id: 'Service: Services without selectors; type ExternalName' },
  ],
  check(object, context): Violation[] {
    const api = String(object.apiVersion ?? '');
    // The controllers' own objects (as `bulwark scan` or a dump reads them): a Service with a
    // selector among the objects owns its endpoints, and its controller rewrites any others.
    // Indexed once per evaluation: a dump holds an Endpoints and an EndpointSlice per Service.
    const withSelector = context.memo('network/services-with-selector', () => new Set(context.ofKind('Service')
      .filter((s) => s.apiVersion === 'v1' && s.spec?.selector && typeof s.spec.selector === 'object' && Object.keys(s.spec.selector).length > 0)
      .map((s) => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name}`)));
    const selecting = (ns: string, name: unknown) => typeof name === 'string' && withSelector.has(`${ns}/${name}`);
    const ns = object.metadata?.namespace ?? 'default';
    if (object.kind === 'Endpoints' && api === 'v1' && selecting(ns, object.metadata?.name)) return [];
    if (object.kind === 'EndpointSlice' && object.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io'
      && selecting(ns, object.metadata?.labels?.['kubernetes.io/service-name'])) return [];
    if (object.kind === 'Endpoints' && api === 'v1') {
      return [{ path: 'subsets', reason: 'hand-made endpoints', detail: `Endpoints "${object.metadata?.name}" is written by hand: the Service sends its traffic to the addresses it lists, not to pods its selector picks` }];
    }
    if (object.kind === 'EndpointSlice' && api.startsWith('discovery.k8s.io/')) {
      return [{ path: 'endpoints', reason: 'hand-made endpoints', detail: `EndpointSlice "${object.metadata?.name}" is written by hand: the Service it names sends its traffic to the addresses it lists, not to pods its selector picks` }];
    }
    if (object.kind === 'Service' && api === 'v1' && object.spec?.type === 'ExternalName') {
      return [{ path: 'spec.type', reason: 'ExternalName Service', detail: `Service "${object.metadata?.name}" is ExternalName "${object.spec?.externalName}": whoever resolves it, an ingress controller included, goes to that name` }];
    }
    return [];
  },
};
