/**
 * Support for the guardrail suite (guardrails.e2e.ts): talking to the e2e API server as the admin
 * (or as someone the admin impersonates), installing one set of ValidatingAdmissionPolicies and
 * knowing when the API server enforces it, and reading a rule fixture into a fresh namespace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../../policy';
import { GUARDRAIL_RULE_ANNOTATION } from '../../../policy/admission';
import { request } from './harness/http';

export interface Reply {
  readonly status: number;
  readonly warnings: string[];
  readonly body: any;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through tests/e2e/jest.config.js (npm run test:e2e)`);
  return v;
}

/** One request as the admin; `as` impersonates a user (and groups). */
export async function call(p: string, opts: { method?: string; body?: unknown; contentType?: string; as?: { user: string; groups?: string[] } } = {}): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  if (opts.as) {
    headers['Impersonate-User'] = opts.as.user;
    // One header per group is what kubectl sends; node's http joins arrays with ", ", which the API server splits.
    if (opts.as.groups?.length) (headers as any)['Impersonate-Group'] = opts.as.groups;
  }
  const res = await request(`${env('BULWARK_E2E_SERVER')}${p}`, {
    method: opts.method ?? 'GET',
    caPath: env('BULWARK_E2E_CA'),
    certPath: env('BULWARK_E2E_ADMIN_CERT'),
    keyPath: env('BULWARK_E2E_ADMIN_KEY'),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    timeoutMs: 30_000,
  });
  const raw = res.headers.warning;
  const warnings = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).flatMap((w) => w.split(/,\s*(?=\d{3} )/));
  let body: any = res.body;
  try { body = JSON.parse(res.body); } catch { /* not JSON */ }
  return { status: res.status, warnings, body };
}

const resources = new Map<string, { plural: string; namespaced: boolean } | null>();

/** The REST collection of an object's kind, or undefined when the API server does not serve it. */
export async function collectionOf(o: KubeObject): Promise<string | undefined> {
  const key = `${o.apiVersion}/${o.kind}`;
  const base = String(o.apiVersion).includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  if (!resources.has(key)) {
    const list = await call(base);
    if (list.status === 200) {
      for (const r of list.body.resources as any[]) if (!r.name.includes('/')) resources.set(`${o.apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    if (!resources.has(key)) resources.set(key, null);
  }
  const info = resources.get(key);
  if (!info) return undefined;
  return `${base}${info.namespaced ? `/namespaces/${o.metadata?.namespace ?? 'default'}` : ''}/${info.plural}`;
}

/** Server-side apply (dry-run or real), as `kubectl apply --server-side --force-conflicts`. */
export async function serverApply(o: KubeObject, dryRun: boolean, as?: { user: string; groups?: string[] }): Promise<Reply> {
  const collection = await collectionOf(o);
  if (!collection) throw new Error(`the API server does not serve ${o.apiVersion} ${o.kind}`);
  return call(`${collection}/${o.metadata!.name}?fieldManager=bulwark-e2e&force=true${dryRun ? '&dryRun=All' : ''}`, { method: 'PATCH', body: o, contentType: 'application/apply-patch+yaml', as });
}

/** Dry-run create (POST): admission runs in full; an object that exists answers 409 after admission admitted it. */
export async function dryRunPost(o: KubeObject, as?: { user: string; groups?: string[] }): Promise<Reply> {
  const collection = await collectionOf(o);
  if (!collection) throw new Error(`the API server does not serve ${o.apiVersion} ${o.kind}`);
  return call(`${collection}?dryRun=All`, { method: 'POST', body: o, as });
}

export async function remove(o: KubeObject): Promise<void> {
  const collection = await collectionOf(o);
  if (collection) await call(`${collection}/${o.metadata!.name}`, { method: 'DELETE' });
}

/** The guardrail that refused a request ("ValidatingAdmissionPolicy 'name' ... denied"), if one did. */
export function deniedBy(r: Reply): string | undefined {
  if (r.status !== 403 && r.status !== 422) return undefined;
  return /ValidatingAdmissionPolicy '([^']+)'/.exec(String(r.body?.message ?? r.body))?.[1];
}

export const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

const CANARY = 'bulwark-e2e-canary';
let generation = 0;

/**
 * Makes `objects` (policies, bindings, and what they need) the cluster's only guardrails:
 * applies them, deletes every other policy and binding a guardrail rule owns, and returns once
 * the API server enforces the set. A canary policy is changed last to refuse a new name: the
 * policy source is rebuilt from informer lists that deliver each kind's changes in order, so once
 * the canary refuses, every change made before it is in force.
 */
export async function installGuardrails(objects: readonly KubeObject[], canaryNamespace: string): Promise<void> {
  const isPolicy = (o: KubeObject) => o.kind === 'ValidatingAdmissionPolicy' || o.kind === 'ValidatingAdmissionPolicyBinding';
  for (const o of objects.filter((x) => !isPolicy(x))) {
    const r = await serverApply(o, false);
    if (r.status >= 300) throw new Error(`${o.kind} ${o.metadata!.name}: ${r.status} ${r.body?.message ?? ''}`);
  }
  // Replaced (PUT), not applied: other suites apply the same objects through other field managers
  // (Pulumi's), and server-side apply would merge their lists (validationActions) with these.
  // Nothing is deleted before its replacement exists: the API server stops watching a params kind
  // when the last policy using it goes, and its params cache is not reliable when that happens.
  const policies = [...objects.filter((x) => x.kind === 'ValidatingAdmissionPolicy'), ...objects.filter((x) => x.kind === 'ValidatingAdmissionPolicyBinding')];
  for (const o of policies) {
    const url = `${await collectionOf(o)}/${o.metadata!.name}`;
    const current = await call(url);
    const r = current.status === 200
      ? await call(url, { method: 'PUT', body: { ...o, metadata: { ...o.metadata, resourceVersion: current.body.metadata.resourceVersion } } })
      : await call(`${await collectionOf(o)}`, { method: 'POST', body: o });
    if (r.status >= 300) throw new Error(`${o.kind} ${o.metadata!.name}: ${r.status} ${r.body?.message ?? ''}`);
  }
  const names = new Set(policies.map((o) => `${o.kind}/${o.metadata!.name}`));
  for (const [kind, plural] of [['ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings'], ['ValidatingAdmissionPolicy', 'validatingadmissionpolicies']]) {
    const list = await call(`/apis/admissionregistration.k8s.io/v1/${plural}`);
    for (const item of list.body.items ?? []) {
      if (item.metadata?.annotations?.[GUARDRAIL_RULE_ANNOTATION] !== undefined && !names.has(`${kind}/${item.metadata.name}`)) {
        await call(`/apis/admissionregistration.k8s.io/v1/${plural}/${item.metadata.name}`, { method: 'DELETE' });
      }
    }
  }
  await waitForCanary(canaryNamespace);
}

/** Waits until every policy change made so far is enforced (see installGuardrails). */
export async function waitForCanary(namespace: string): Promise<void> {
  const name = `canary-${++generation}-${Date.now()}`;
  await serverApply({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: CANARY },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
      validations: [{ expression: `object.metadata.name != '${name}'`, message: `canary ${name}` }],
    },
  }, false);
  await serverApply({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: CANARY },
    spec: { policyName: CANARY, validationActions: ['Deny'] },
  }, false);
  const probe = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } };
  for (let i = 0; i < 240; i++) {
    if (deniedBy(await dryRunPost(probe)) === CANARY) return;
    await sleep(250);
  }
  throw new Error(`the API server did not enforce policy changes within 60 s (canary ${name})`);
}

/** The repository's tests/fixtures directory. */
export function fixturesDir(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tests', 'fixtures');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no tests/fixtures above ${process.cwd()}: run the suite from the repository`);
  }
}

/** A fixture's documents: the subject first, then its context. */
export function loadFixture(file: string): KubeObject[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0].message}`);
  return docs.map((d) => d.toJSON());
}

/** Namespaces that are never renamed: they exist in every cluster and rules treat them apart. */
const SHARED = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * The fixture moved to fresh namespaces (`<prefix>-<name>` for each namespace it names): every
 * string equal to a namespace's name, and the service-account user and group names built from
 * it, are renamed, in the subject and its context alike, so that each fixture meets a cluster
 * state of its own. Returns the renamed documents and the namespaces they use.
 */
export function intoFreshNamespaces(docs: readonly KubeObject[], prefix: string): { docs: KubeObject[]; namespaces: Map<string, string> } {
  const names = new Set<string>();
  for (const d of docs) {
    if (d.metadata?.namespace) names.add(d.metadata.namespace);
    if (d.kind === 'Namespace' && d.metadata?.name) names.add(d.metadata.name);
  }
  const map = new Map([...names].filter((n) => !SHARED.has(n)).map((n) => [n, `${prefix}-${n}`.slice(0, 63).replace(/-+$/, '')]));
  const rename = (v: any): any => {
    if (typeof v === 'string') {
      if (map.has(v)) return map.get(v);
      const sa = /^(system:serviceaccounts?:)([^:]+)(:.*)?$/.exec(v);
      if (sa && map.has(sa[2])) return `${sa[1]}${map.get(sa[2])}${sa[3] ?? ''}`;
      return v;
    }
    if (Array.isArray(v)) return v.map(rename);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]));
    return v;
  };
  const namespaces = new Map<string, string>();
  for (const d of docs) {
    const n = d.kind === 'Namespace' ? d.metadata?.name : d.metadata?.namespace ?? 'default';
    if (n) namespaces.set(n, map.get(n) ?? n);
  }
  return { docs: docs.map(rename), namespaces };
}
