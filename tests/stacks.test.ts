import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { allReferenceStacks, REFERENCE_REGISTRIES, referenceClusters } from '../stacks/app';
import { helloCluster } from '../stacks/reference/hello';
import { acmeCluster } from '../stacks/reference/acme';
import '../policy/testing';
import { KubeObject } from '../policy';
import { NOW } from './helpers';

const stacks = allReferenceStacks();
const clusterOf = (name: string) => stacks.filter((s) => s.name.split('/')[0] === name.split('/')[0]).flatMap((s) => s.objects);

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (name, stack) => {
  test('matches the snapshot', () => {
    expect(yaml.stringify(stack.objects)).toMatchSnapshot();
  });
  test('passes Pod Security restricted at its target and every later supported minor', () => {
    for (const v of ['1.36', '1.37']) expect(stack.objects).toPassPodSecurity('restricted', v);
  });
  test('has zero findings, waived or not, with its whole cluster as context', () => {
    const context = clusterOf(name).filter((o) => !stack.objects.includes(o));
    expect(stack.objects).toHaveNoFindings({ now: NOW, context, trustedRegistries: name.startsWith('hello') ? ['registry.example.com/hello'] : REFERENCE_REGISTRIES });
  });
});

/** "from -> namespace/policy:ports" for every ingress peer of every NetworkPolicy. */
function edges(objects: readonly KubeObject[]): string[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy').flatMap((np) =>
    (np.spec.ingress ?? []).flatMap((rule: any) => rule.from.map((f: any) => `${f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${f.podSelector?.matchLabels['app.kubernetes.io/name'] ?? f.podSelector?.matchLabels['gateway.networking.k8s.io/gateway-name'] ?? '*'} -> ${np.metadata!.namespace}/${np.metadata!.name}:${rule.ports.map((p: any) => p.port).join(',')}`))).sort();
}

test('the reference cluster declares exactly its connections, across teams only shop/api -> payments', () => {
  const all = clusterOf('acme');
  expect(edges(all)).toEqual([
    'gateways/public -> storefront/frontend:8080',
    'ingress-nginx/ingress-nginx -> shop-frontend/web:8080',
    'ingress-nginx/ingress-nginx -> storefront/frontend:8080',
    'shop-backend/api -> payments/payments-api:8443',
    'shop-backend/api -> shop-backend/db:5432',
    'shop-backend/nightly -> shop-backend/db:5432',
    'shop-backend/worker -> shop-backend/db:5432',
    'shop-frontend/web -> shop-backend/api:8443',
    'storefront/frontend -> storefront/cache:6379',
    'storefront/nightly-report -> storefront/cache:6379',
  ]);
  const teamOf = new Map(all.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata!.name!, o.metadata!.labels!['bulwark.dev/team']]));
  const cross = edges(all).filter((e) => { const [from, to] = e.split(' -> '); return teamOf.get(from.split('/')[0]) && teamOf.get(from.split('/')[0]) !== teamOf.get(to.split('/')[0]); });
  expect(cross).toEqual(['shop-backend/api -> payments/payments-api:8443']);
});

test('every team\'s roles and bindings live in its own namespaces, and bind only its own group or its own deployers', () => {
  const all = clusterOf('acme');
  const teamOf = new Map(all.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata!.name!, o.metadata!.labels?.['bulwark.dev/team']]));
  const bindings = all.filter((o) => o.kind === 'RoleBinding' && teamOf.get(o.metadata!.namespace!));
  expect(bindings.length).toBeGreaterThan(5);
  for (const b of bindings) {
    const team = teamOf.get(b.metadata!.namespace!);
    for (const s of b.subjects) {
      if (s.kind === 'ServiceAccount') expect(teamOf.get(s.namespace ?? b.metadata!.namespace)).toBe(team);
      else expect(s.name).toMatch(new RegExp(`^oidc:(${team}|${team}-developers)$`));
    }
  }
  expect(all.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
});

test('the reference cluster has what a realistic cluster has', () => {
  const all = clusterOf('acme');
  const has = (kind: string, name: string) => all.some((o) => o.kind === kind && o.metadata?.name === name);
  expect(has('Ingress', 'web')).toBe(true);
  expect(has('HorizontalPodAutoscaler', 'api')).toBe(true);
  expect(has('Deployment', 'worker')).toBe(true);
  expect(has('CronJob', 'nightly')).toBe(true);
  expect(all.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'db')!.spec.volumeClaimTemplates).toHaveLength(1);
  const payments = all.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'payments-api')!;
  expect(payments.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['payments']);
  expect(stacks.map((s) => s.name)).toEqual(['acme/platform', 'acme/shop', 'acme/payments', 'acme/storefront', 'hello/platform', 'hello/hello']);
});

test('output is deterministic: two syntheses write byte-identical files, each cluster in its own folder', () => {
  const run = () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-determinism-'));
    for (const c of [acmeCluster({ outdir: path.join(out, 'acme') }), helloCluster({ outdir: path.join(out, 'hello') })]) c.synth();
    const files: Record<string, string> = {};
    const walk = (d: string) => { for (const f of fs.readdirSync(d).sort()) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else files[path.relative(out, p)] = fs.readFileSync(p, 'utf8'); } };
    walk(out);
    return files;
  };
  const a = run();
  const b = run();
  expect(Object.keys(a)).toEqual(['acme/payments.k8s.yaml', 'acme/platform.k8s.yaml', 'acme/shop.k8s.yaml', 'acme/storefront.k8s.yaml', 'hello/hello.k8s.yaml', 'hello/platform.k8s.yaml']);
  expect(b).toEqual(a);
  expect(referenceClusters().map((c) => c.outdir)).toEqual(['dist/acme', 'dist/hello']);
});
