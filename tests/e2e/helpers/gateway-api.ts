/**
 * The Gateway API is not built into kube-apiserver, and its CRDs cannot be downloaded here. A
 * stand-in CRD for HTTPRoute (gateway.networking.k8s.io/v1, namespaced, spec kept as given) lets
 * the server accept, store and return routes, so apply, field ownership and namespacing are real;
 * the Gateway API's own schema validation is not exercised.
 */
import { KubeObject } from '../../../policy';
import { api, apply } from './kube';

export async function ensureHttpRouteCrd(objects: readonly KubeObject[]): Promise<void> {
  if (!objects.some((o) => String(o.apiVersion).startsWith('gateway.networking.k8s.io/'))) return;
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    // *.k8s.io groups are protected: the upstream Gateway API CRDs carry this approval too.
    metadata: { name: 'httproutes.gateway.networking.k8s.io', annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466' } },
    spec: {
      group: 'gateway.networking.k8s.io',
      names: { kind: 'HTTPRoute', listKind: 'HTTPRouteList', plural: 'httproutes', singular: 'httproute' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
      }],
    },
  };
  const r = await apply(crd);
  if (r.status !== 200 && r.status !== 201) throw new Error(`HTTPRoute CRD: ${r.status} ${r.body?.message ?? ''}`);
  for (let i = 0; i < 100; i++) {
    const got = await api('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io');
    const established = (got.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
    if (established && (await api('/apis/gateway.networking.k8s.io/v1')).status === 200) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the HTTPRoute CRD was not established within 10 s');
}
