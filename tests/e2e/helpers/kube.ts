/**
 * Talking to the e2e API server as the admin: server-side apply and server dry-run with the
 * response's Warning headers (Pod Security reports "would violate" there), API discovery for
 * resource paths, and a @kubernetes/client-node KubeConfig for typed calls. clientFor() does the
 * same against another API server (a suite's own, started with its own flags).
 */
import * as k8s from '@kubernetes/client-node';
import { request } from './harness/http';
import { KubeObject, podSpecOf } from '../../../policy';

export interface ApiResult {
  readonly status: number;
  readonly warnings: string[];
  readonly body: any;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through tests/e2e/jest.config.js (npm run test:e2e)`);
  return v;
}

export function kubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env('BULWARK_E2E_KUBECONFIG'));
  return kc;
}

/** Where and as whom to talk to an API server: the global e2e cluster's admin by default. */
export interface Connection {
  readonly server: string;
  readonly caPath: string;
  readonly certPath?: string;
  readonly keyPath?: string;
}

function envConnection(): Connection {
  return { server: env('BULWARK_E2E_SERVER'), caPath: env('BULWARK_E2E_CA'), certPath: env('BULWARK_E2E_ADMIN_CERT'), keyPath: env('BULWARK_E2E_ADMIN_KEY') };
}

export interface ApiOptions { method?: string; body?: unknown; contentType?: string; headers?: Record<string, string> }

/** api, pathOf, apply, dryRunCreate and applyAll against one API server (discovery cached per client). */
export function clientFor(conn: Connection) {
  async function api(path: string, opts: ApiOptions = {}): Promise<ApiResult> {
    const res = await request(`${conn.server}${path}`, {
      method: opts.method ?? 'GET',
      caPath: conn.caPath,
      certPath: conn.certPath,
      keyPath: conn.keyPath,
      headers: { Accept: 'application/json', ...(opts.body !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json' } : {}), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      timeoutMs: 30_000,
    });
    const raw = res.headers.warning;
    const warnings = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).flatMap((w) => w.split(/,\s*(?=\d{3} )/));
    let body: any = res.body;
    try { body = JSON.parse(res.body); } catch { /* not JSON */ }
    return { status: res.status, warnings, body };
  }

  const plurals = new Map<string, { plural: string; namespaced: boolean }>();

  /** The REST path of an object, from API discovery (cached per group/version). */
  async function pathOf(o: KubeObject, withName = true): Promise<string> {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!plurals.has(key)) {
      const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
      const list = await api(base);
      if (list.status !== 200) throw new Error(`discovery of ${base} failed: ${list.status}`);
      for (const r of list.body.resources as any[]) {
        if (!r.name.includes('/')) plurals.set(`${o.apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
      }
    }
    const info = plurals.get(key);
    if (!info) throw new Error(`the API server does not serve ${key}`);
    const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${o.metadata?.namespace ?? 'default'}` : '';
    return `${base}${ns}/${info.plural}${withName ? `/${o.metadata!.name}` : ''}`;
  }

  /** Server-side apply, as `kubectl apply --server-side --force-conflicts` would. */
  async function apply(o: KubeObject, dryRun = false): Promise<ApiResult> {
    const q = `?fieldManager=bulwark-e2e&force=true${dryRun ? '&dryRun=All' : ''}`;
    return api(`${await pathOf(o)}${q}`, { method: 'PATCH', body: o, contentType: 'application/apply-patch+yaml' });
  }

  /** Server dry-run create (POST): admission runs in full, nothing is stored. */
  async function dryRunCreate(o: KubeObject): Promise<ApiResult> {
    return api(`${await pathOf(o, false)}?dryRun=All`, { method: 'POST', body: o });
  }

  /** Applies objects in dependency order: namespaces and CRD-free cluster objects first. */
  async function applyAll(objects: readonly KubeObject[]): Promise<Array<{ object: KubeObject; result: ApiResult }>> {
    const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'ServiceAccount' ? 1 : 2);
    const out: Array<{ object: KubeObject; result: ApiResult }> = [];
    for (const object of [...objects].sort((a, b) => rank(a) - rank(b))) {
      out.push({ object, result: await apply(object) });
    }
    return out;
  }

  return { api, pathOf, apply, dryRunCreate, applyAll };
}

let shared: ReturnType<typeof clientFor> | undefined;
const globalClient = () => (shared ??= clientFor(envConnection()));

export const api = (path: string, opts: ApiOptions = {}) => globalClient().api(path, opts);
export const pathOf = (o: KubeObject, withName = true) => globalClient().pathOf(o, withName);
export const apply = (o: KubeObject, dryRun = false) => globalClient().apply(o, dryRun);
export const dryRunCreate = (o: KubeObject) => globalClient().dryRunCreate(o);

/** A Pod with the template's metadata and spec, as a controller would create it. */
export function podFromTemplate(o: KubeObject): KubeObject | undefined {
  const site = o.kind === 'Pod' ? undefined : podSpecOf(o);
  if (!site) return undefined;
  // A StatefulSet's controller adds one claim volume per claim template (<template>-<set>-<ordinal>).
  const claims = o.kind === 'StatefulSet' ? (o.spec?.volumeClaimTemplates ?? []).map((t: any) => ({
    name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${o.metadata!.name}-0` },
  })) : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${o.metadata!.name}-template`, namespace: o.metadata!.namespace, labels: site.metadata.labels, annotations: site.metadata.annotations },
    spec: claims.length > 0 ? { ...site.spec, volumes: [...(site.spec.volumes ?? []), ...claims] } : site.spec,
  };
}

/** True when the API server refused the request because of Pod Security. */
export function deniedByPodSecurity(r: ApiResult): boolean {
  return r.status === 403 && /violates PodSecurity/.test(String(r.body?.message ?? r.body));
}

export const applyAll = (objects: readonly KubeObject[]) => globalClient().applyAll(objects);
