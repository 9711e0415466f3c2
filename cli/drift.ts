/**
 * Drift between a synthesized blueprint (dist/) and a live cluster: objects the cluster holds in the
 * blueprint's namespaces that it does not declare, declared objects that are missing, and fields
 * that differ in ways that weaken security. Only what the API server does not default is compared,
 * so a freshly applied blueprint has no drift (tests/e2e/scan.e2e.ts proves it on a real server).
 */
import { podSpecOf } from '../policy/pod-spec';
import { apiGroupOf, isNamespaced } from '../policy/scope';
import { scanResourceOf } from '../policy/scan-resources';
import { KubeObject, WAIVERS_ANNOTATION } from '../policy/types';
import { SourceLocation } from './inspect';
import { DriftItem } from './output';

export interface Declared {
  readonly object: KubeObject;
  readonly source?: SourceLocation;
}

/** API group, kind, namespace ("default" for a namespaced object that sets none) and name. */
export function identity(o: KubeObject): string {
  const ns = isNamespaced(o.apiVersion, o.kind) ? (o.metadata?.namespace || 'default') : '';
  return JSON.stringify([apiGroupOf(o.apiVersion), o.kind, ns, o.metadata?.name ?? '']);
}

function refOf(o: KubeObject): DriftItem['object'] {
  const ns = isNamespaced(o.apiVersion, o.kind) ? (o.metadata?.namespace || 'default') : undefined;
  return { apiVersion: String(o.apiVersion), kind: String(o.kind), ...(ns ? { namespace: ns } : {}), name: String(o.metadata?.name ?? '') };
}

/** Objects the API server or a controller creates in every namespace, never declared. */
function systemObject(o: KubeObject): boolean {
  const name = o.metadata?.name;
  return (o.kind === 'ConfigMap' && name === 'kube-root-ca.crt') || (o.kind === 'ServiceAccount' && name === 'default');
}

/** Made by a controller from an object scan reads: checked and compared through its owner. */
export function ownedByScannedController(o: KubeObject): boolean {
  const owners: any[] = Array.isArray(o.metadata?.ownerReferences) ? o.metadata!.ownerReferences : [];
  return owners.some((r) => r?.controller === true && scanResourceOf(r.apiVersion, r.kind) !== undefined);
}

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Keys sorted, so that field order never counts as a difference. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as any)[k])]));
  return v;
}

/** Every leaf of `declared` is in `live` with the same value (lists: same length, item by item). */
function subsetOf(declared: unknown, live: unknown): boolean {
  if (Array.isArray(declared)) return Array.isArray(live) && live.length === declared.length && declared.every((d, i) => subsetOf(d, live[i]));
  if (declared !== null && typeof declared === 'object') {
    return live !== null && typeof live === 'object' && !Array.isArray(live) && Object.entries(declared).every(([k, d]) => subsetOf(d, (live as any)[k]));
  }
  return declared === live;
}

/** NetworkPolicy rules with the API server's defaults made explicit (a port's protocol is TCP). */
function networkPolicySpec(spec: any): unknown {
  const ports = (rules: any[] | undefined) => (rules ?? []).map((r) => ({ ...r, ...(r.ports ? { ports: r.ports.map((p: any) => ({ protocol: 'TCP', ...p })) } : {}) }));
  return { podSelector: spec?.podSelector ?? {}, policyTypes: spec?.policyTypes, ingress: ports(spec?.ingress), egress: ports(spec?.egress) };
}

function subjects(list: any[] | undefined): unknown {
  return (list ?? []).map((s) => ({ ...s, ...((s.kind === 'User' || s.kind === 'Group') && !s.apiGroup ? { apiGroup: 'rbac.authorization.k8s.io' } : {}) }));
}

function flag(v: unknown): boolean {
  return v === true;
}

/** The fields of a declared object that differ in its live copy in a way that weakens security. */
export function weakenedFields(declared: KubeObject, live: KubeObject): Array<{ field: string; declared: unknown; live: unknown; detail: string }> {
  const out: Array<{ field: string; declared: unknown; live: unknown; detail: string }> = [];
  const differ = (field: string, d: unknown, l: unknown, detail: string) => out.push({ field, declared: d, live: l, detail });

  // Labels: select pods for policies, set Pod Security levels, name the environment.
  const dl: Record<string, string> = declared.metadata?.labels ?? {};
  const ll: Record<string, string> = live.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(dl)) if (ll[k] !== v) differ(`metadata.labels["${k}"]`, v, ll[k], `label ${k} is ${show(ll[k])}, the blueprint says ${show(v)}`);
  for (const k of Object.keys(ll).filter((x) => x.startsWith('pod-security.kubernetes.io/') && !(x in dl))) differ(`metadata.labels["${k}"]`, undefined, ll[k], `label ${k} was added: ${show(ll[k])}`);
  // Waivers written by hand relax rules that synth enforced.
  const da = declared.metadata?.annotations ?? {};
  const la = live.metadata?.annotations ?? {};
  for (const k of new Set([...Object.keys(da), ...Object.keys(la)])) {
    if ((k === WAIVERS_ANNOTATION || k.startsWith('waiver.bulwark.dev/')) && da[k] !== la[k]) differ(`metadata.annotations["${k}"]`, da[k], la[k], `waiver annotation ${k} is ${show(la[k])}, the blueprint says ${show(da[k])}`);
  }

  const dPod = podSpecOf(declared);
  const lPod = podSpecOf(live);
  if (dPod && lPod) {
    const base = dPod.path;
    const ds = dPod.spec;
    const ls = lPod.spec;
    for (const [k, v] of Object.entries(dPod.metadata.labels ?? {})) {
      if (lPod.metadata.labels?.[k] !== v) differ(`${dPod.metadataPath}.labels["${k}"]`, v, lPod.metadata.labels?.[k], `pod label ${k} is ${show(lPod.metadata.labels?.[k])}, the blueprint says ${show(v)}`);
    }
    if (!equal(ds.securityContext ?? {}, ls.securityContext ?? {})) differ(`${base}.securityContext`, ds.securityContext, ls.securityContext, 'the pod securityContext differs');
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace']) {
      if (flag(ds[f]) !== flag(ls[f])) differ(`${base}.${f}`, ds[f], ls[f], `${f} is ${show(ls[f])}, the blueprint says ${show(ds[f])}`);
    }
    for (const f of ['automountServiceAccountToken', 'serviceAccountName', 'nodeName', 'hostUsers']) {
      if (ds[f] !== undefined && ds[f] !== ls[f]) differ(`${base}.${f}`, ds[f], ls[f], `${f} is ${show(ls[f])}, the blueprint says ${show(ds[f])}`);
      else if (ds[f] === undefined && ls[f] !== undefined && f !== 'serviceAccountName' && f !== 'automountServiceAccountToken') differ(`${base}.${f}`, undefined, ls[f], `${f} was set to ${show(ls[f])}`);
    }
    if (!subsetOf(ds.tolerations ?? [], ls.tolerations ?? [])) differ(`${base}.tolerations`, ds.tolerations, ls.tolerations, 'the tolerations differ');
    const hostPaths = (ls.volumes ?? []).filter((v: any) => v?.hostPath && !(ds.volumes ?? []).some((d: any) => d?.name === v.name && d?.hostPath?.path === v.hostPath.path));
    for (const v of hostPaths) differ(`${base}.volumes`, undefined, v, `hostPath volume "${v.name}" (${v.hostPath.path}) was added`);
    for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
      const dc: any[] = ds[list] ?? [];
      const lc: any[] = ls[list] ?? [];
      lc.forEach((c, i) => {
        const d = dc.find((x) => x?.name === c?.name);
        const at = `${base}.${list}[${i}]`;
        if (!d) {
          differ(at, undefined, c?.name, `container "${c?.name}" was added`);
          return;
        }
        if (!equal(d.securityContext ?? {}, c.securityContext ?? {})) differ(`${at}.securityContext`, d.securityContext, c.securityContext, `container "${c.name}" securityContext differs`);
        if (d.image !== c.image) differ(`${at}.image`, d.image, c.image, `container "${c.name}" image is ${show(c.image)}, the blueprint says ${show(d.image)}`);
      });
    }
  }

  switch (declared.kind) {
    case 'NetworkPolicy':
      if (!equal(networkPolicySpec(declared.spec), networkPolicySpec(live.spec))) differ('spec', declared.spec, live.spec, 'the policy\'s selector or rules differ');
      break;
    case 'Role':
    case 'ClusterRole':
      if (!equal(declared.rules ?? [], live.rules ?? [])) differ('rules', declared.rules, live.rules, 'the RBAC rules differ');
      if (!equal(declared.aggregationRule, live.aggregationRule)) differ('aggregationRule', declared.aggregationRule, live.aggregationRule, 'the aggregation rule differs');
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (!equal(declared.roleRef, live.roleRef)) differ('roleRef', declared.roleRef, live.roleRef, 'the binding grants another role');
      if (!equal(subjects(declared.subjects), subjects(live.subjects))) differ('subjects', declared.subjects, live.subjects, 'the subjects differ');
      break;
    case 'Service': {
      const type = (s: any) => s?.type ?? 'ClusterIP';
      if (type(declared.spec) !== type(live.spec)) differ('spec.type', type(declared.spec), type(live.spec), `Service type is ${show(type(live.spec))}, the blueprint says ${show(type(declared.spec))}`);
      for (const f of ['externalIPs', 'loadBalancerSourceRanges', 'externalName']) {
        if (!equal(declared.spec?.[f], live.spec?.[f])) differ(`spec.${f}`, declared.spec?.[f], live.spec?.[f], `${f} is ${show(live.spec?.[f])}, the blueprint says ${show(declared.spec?.[f])}`);
      }
      if (!equal(declared.spec?.selector, live.spec?.selector)) differ('spec.selector', declared.spec?.selector, live.spec?.selector, 'the selector differs');
      break;
    }
    case 'ServiceAccount':
      if (declared.automountServiceAccountToken !== live.automountServiceAccountToken) differ('automountServiceAccountToken', declared.automountServiceAccountToken, live.automountServiceAccountToken, `automountServiceAccountToken is ${show(live.automountServiceAccountToken)}, the blueprint says ${show(declared.automountServiceAccountToken)}`);
      break;
    case 'ResourceQuota':
      if (!equal(declared.spec?.hard, live.spec?.hard)) differ('spec.hard', declared.spec?.hard, live.spec?.hard, 'the quota\'s limits differ');
      break;
    case 'Ingress':
      if (!equal(declared.spec?.tls, live.spec?.tls)) differ('spec.tls', declared.spec?.tls, live.spec?.tls, 'the TLS hosts differ');
      break;
    case 'ValidatingAdmissionPolicy':
    case 'ValidatingAdmissionPolicyBinding':
      // The server fills defaults in (failurePolicy, selectors): every declared field must hold.
      if (!subsetOf(declared.spec, live.spec)) differ('spec', declared.spec, live.spec, 'the guardrail\'s spec differs');
      break;
    default:
      break;
  }
  return out;
}

/** Compares a blueprint with the live objects (of the kinds scan reads). */
export function compare(blueprint: readonly Declared[], live: readonly KubeObject[]): DriftItem[] {
  const out: DriftItem[] = [];
  const liveById = new Map(live.map((o) => [identity(o), o]));
  const declaredById = new Map(blueprint.map((d) => [identity(d.object), d]));
  const namespaces = new Set<string>();
  for (const d of blueprint) {
    if (d.object.kind === 'Namespace' && d.object.apiVersion === 'v1') namespaces.add(String(d.object.metadata?.name));
    else if (isNamespaced(d.object.apiVersion, d.object.kind)) namespaces.add(d.object.metadata?.namespace || 'default');
  }
  for (const d of blueprint) {
    if (!scanResourceOf(d.object.apiVersion, d.object.kind)) continue; // not a kind scan reads
    const where = d.source ? { file: d.source.file, line: d.source.line } : {};
    const l = liveById.get(identity(d.object));
    if (!l) {
      out.push({ kind: 'missing', object: refOf(d.object), detail: 'declared in the blueprint, absent from the cluster', ...where });
      continue;
    }
    for (const w of weakenedFields(d.object, l)) {
      out.push({ kind: 'weakened', object: refOf(d.object), field: w.field, declared: show(w.declared), live: show(w.live), detail: w.detail, ...where });
    }
  }
  for (const l of live) {
    const ns = l.metadata?.namespace;
    if (!ns || !namespaces.has(ns) || declaredById.has(identity(l)) || systemObject(l) || ownedByScannedController(l)) continue;
    out.push({ kind: 'undeclared', object: refOf(l), detail: 'in a namespace of the blueprint, not declared by it' });
  }
  return out;
}
