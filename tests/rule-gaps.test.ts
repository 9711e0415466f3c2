/**
 * Rule gaps a security review found, each closed as a class and pinned here: every test fails if
 * its hole reopens.
 */
import { Port, SecureWorkload } from '../constructs';
import { evaluate, EvaluateOptions, Finding, KubeObject } from '../policy';
import { cidrCovers, effectiveCidr, familiesCovered, METADATA_RANGES, metadataInside, parseCidr } from '../policy/cidr';
import { fromRegistry, parseImageReference, parseRegistryEntry, trustedEntryFor } from '../policy/images';
import { podSpecOf, podSpecsOf, POD_SEARCH_DEPTH } from '../policy/pod-spec';
import { chartWithNamespace, container, NOW } from './helpers';

const ids = (objects: KubeObject[], options: EvaluateOptions = {}) => [...new Set(evaluate(objects, { now: NOW, ...options }).map((f) => f.ruleId))].sort();
const findingsOf = (rule: string, objects: KubeObject[], options: EvaluateOptions = {}): Finding[] => evaluate(objects, { now: NOW, ...options }).filter((f) => f.ruleId === rule);
const DIGEST = `@sha256:${'ab'.repeat(32)}`;

describe('1. NetworkPolicies that admit ingress from everywhere', () => {
  const np = (ingress: unknown[]): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress } });
  const hit = (ingress: unknown[]) => findingsOf('network/no-allow-all-ingress', [np(ingress)]).length > 0;
  const port = { ports: [{ port: 8443 }] };
  const nsByName = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });

  test.each([
    ['an empty rule', [{}]],
    ['a rule with only ports', [port]],
    ['an empty from list', [{ from: [], ...port }]],
    ['an empty peer', [{ from: [{}], ...port }]],
    ['0.0.0.0/0', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ...port }]],
    ['0.0.0.0/0 with exceptions', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ...port }]],
    ['::/0', [{ from: [{ ipBlock: { cidr: '::/0' } }], ...port }]],
    ['every IPv4 address in its IPv4-mapped spelling', [{ from: [{ ipBlock: { cidr: '::ffff:0:0/96' } }], ...port }]],
    ['host bits set on a /0', [{ from: [{ ipBlock: { cidr: '10.1.2.3/0' } }], ...port }]],
    ['two halves in one rule', [{ from: [{ ipBlock: { cidr: '0.0.0.0/1' } }, { ipBlock: { cidr: '128.0.0.0/1' } }], ...port }]],
    ['two halves in two rules', [{ from: [{ ipBlock: { cidr: '0.0.0.0/1' } }], ...port }, { from: [{ ipBlock: { cidr: '128.0.0.0/1' } }], ...port }]],
    ['namespaceSelector {} and podSelector {}', [{ from: [{ namespaceSelector: {}, podSelector: {} }], ...port }]],
    ['namespaceSelector {} alone', [{ from: [{ namespaceSelector: {} }], ...port }]],
    ['namespaceSelector with empty matchLabels', [{ from: [{ namespaceSelector: { matchLabels: {} } }], ...port }]],
    ['every namespace but one', [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] } }], ...port }]],
    ['every namespace with a name', [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'Exists' }] } }], ...port }]],
    ['every namespace without a label', [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }], ...port }]],
    ['labelled pods of every namespace (labels are self-chosen)', [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }], ...port }]],
    ['a good rule and an open one', [{ from: [nsByName('team-b')], ...port }, {}]],
  ])('refuses %s', (_what, ingress) => {
    expect(hit(ingress)).toBe(true);
  });

  test.each([
    ['no ingress rule at all (default deny)', []],
    ['a namespace by name', [{ from: [nsByName('team-b')], ...port }]],
    ['pods of a namespace by name', [{ from: [{ ...nsByName('team-b'), podSelector: { matchLabels: { app: 'web' } } }], ...port }]],
    ['pods of its own namespace', [{ from: [{ podSelector: {} }], ...port }]],
    ['namespaces chosen by an admin-set label', [{ from: [{ namespaceSelector: { matchLabels: { 'bulwark.dev/monitoring': 'true' } } }], ...port }]],
    ['namespaces listed by name', [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] } }], ...port }]],
    ['a private range', [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ...port }]],
    ['half of IPv4', [{ from: [{ ipBlock: { cidr: '0.0.0.0/1' } }], ...port }]],
    ['a wide IPv6 range short of everything', [{ from: [{ ipBlock: { cidr: '::/1' } }], ...port }]],
  ])('allows %s', (_what, ingress) => {
    expect(hit(ingress)).toBe(false);
  });

  test('is waivable and high severity, and points at the open peer', () => {
    const [f] = findingsOf('network/no-allow-all-ingress', [np([{ from: [nsByName('team-b'), { namespaceSelector: {} }], ...port }])]);
    expect(f.severity).toBe('high');
    expect(f.path).toBe('spec.ingress[0].from[1]');
  });

  test('familiesCovered reads ranges as the API server does', () => {
    expect(familiesCovered(['0.0.0.0/0'])).toEqual([4]);
    expect(familiesCovered(['::/0'])).toEqual([6]);
    expect(familiesCovered(['::ffff:0:0/96'])).toEqual([4]);
    expect(familiesCovered(['::ffff:0:0/97', '::ffff:128.0.0.0/97'])).toEqual([4]);
    expect(familiesCovered(['0.0.0.0/1', '128.0.0.0/2'])).toEqual([]);
  });
});

describe('2. Service externalIPs (CVE-2020-8554)', () => {
  const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'team-a' }, spec: { ports: [{ port: 443 }], ...spec } });
  test.each([
    ['a ClusterIP Service', { externalIPs: ['203.0.113.9'] }, true],
    ['a Service with several', { type: 'ClusterIP', externalIPs: ['203.0.113.9', '2001:db8::1'] }, true],
    ['a malformed value', { externalIPs: '203.0.113.9' }, true],
    ['an empty list', { externalIPs: [] }, false],
    ['none', {}, false],
  ])('%s', (_what, spec, expected) => {
    expect(findingsOf('network/no-external-ips', [svc(spec)]).length > 0).toBe(expected);
  });
  test('cites the CVE and is its own rule, not a reading of no-external-services', () => {
    expect(ids([svc({ externalIPs: ['203.0.113.9'] })])).toEqual(['network/no-external-ips']);
  });
});

describe('3. pod templates in kinds the engine does not know', () => {
  /** A pod that breaks as many pod rules as it can. */
  const badPodSpec = () => ({
    hostNetwork: true,
    tolerations: [{ key: 'bulwark.dev/dedicated', operator: 'Exists' }],
    volumes: [{ name: 'h', hostPath: { path: '/' } }],
    initContainers: [{ name: 'init', image: 'busybox:latest', securityContext: { privileged: true } }],
    containers: [{
      name: 'app', image: 'nginx:latest',
      env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      ports: [{ containerPort: 80, hostPort: 80 }],
      securityContext: { capabilities: { add: ['SYS_ADMIN'] }, runAsUser: 0, procMount: 'Unmasked' },
    }],
    ephemeralContainers: [{ name: 'debug', image: 'evil.example.net/x:1' }],
  });
  const template = () => ({ metadata: { labels: { app: 'x', 'bulwark.dev/sensitive': 'true' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, spec: badPodSpec() });
  const meta = { name: 'x', namespace: 'team-a' };
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'x' } }, template: template() } };
  const embeddings: Array<[string, KubeObject, string]> = [
    ['an Argo Rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'x' } }, template: template() } }, 'spec'],
    ['a worker group of a custom resource', { apiVersion: 'example.com/v1', kind: 'WorkerPool', metadata: meta, spec: { workers: [{ name: 'a', replicas: 1, template: { metadata: {}, spec: { containers: [{ name: 'ok', image: 'registry.example.com/a' + DIGEST }] } } }, { name: 'b', replicas: 3, template: template() }] } }, 'spec.workers[1]'],
    ['a deeply nested custom resource', { apiVersion: 'example.com/v1', kind: 'Pipeline', metadata: meta, spec: { stages: [{ steps: { run: { group: { replicas: 3, template: template() } } } }] } }, 'spec.stages[0].steps.run.group'],
  ];
  const trusted: EvaluateOptions = { trustedRegistries: ['registry.example.com'] };
  /** (rule, path) pairs of the pod, with the owner's path replaced by a marker. */
  const podFindings = (o: KubeObject, owner: string) => evaluate([o], { now: NOW, ...trusted })
    .filter((f) => f.path.startsWith(`${owner}.`))
    .map((f) => `${f.ruleId} ${f.path.slice(owner.length)} ${f.container ?? ''}`).sort();

  test('the Deployment breaks most pod rules (the comparison is not vacuous)', () => {
    expect(new Set(podFindings(deployment, 'spec').map((l) => l.split(' ')[0])).size).toBeGreaterThan(20);
  });

  test.each(embeddings)('%s is checked like a Deployment by every pod rule, at the right paths', (_what, o, owner) => {
    expect(podFindings(o, owner)).toEqual(podFindings(deployment, 'spec'));
  });

  test('a Knative Service (spec.template.spec) is found; as autoscaled, it needs no probes, spread or budget', () => {
    const kn: KubeObject = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: meta, spec: { template: template() } };
    const rules = new Set(evaluate([kn], { now: NOW }).map((f) => f.ruleId));
    for (const r of ['pod-security/privileged', 'pod-security/host-namespaces', 'images/digest-pinned', 'workloads/secrets-as-files', 'nodes/dedicated-pool-toleration', 'nodes/sensitive-on-dedicated-pool']) expect(rules).toContain(r);
    for (const r of ['workloads/probes', 'workloads/spread', 'workloads/disruption-budget']) expect(rules).not.toContain(r);
  });

  test('podSpecsOf returns every site, with its metadata and owner; podSpecOf the first', () => {
    const o = embeddings[1][1];
    const sites = podSpecsOf(o);
    expect(sites.map((s) => [s.path, s.metadataPath, s.owner?.path])).toEqual([
      ['spec.workers[0].template.spec', 'spec.workers[0].template.metadata', 'spec.workers[0]'],
      ['spec.workers[1].template.spec', 'spec.workers[1].template.metadata', 'spec.workers[1]'],
    ]);
    expect(sites[1].metadata.labels).toEqual({ app: 'x', 'bulwark.dev/sensitive': 'true' });
    expect(podSpecOf(o)).toEqual(sites[0]);
    expect(podSpecOf(deployment)?.path).toBe('spec.template.spec');
  });

  test('known kinds keep their exact path and are not searched further', () => {
    const d: KubeObject = { ...deployment, spec: { ...deployment.spec, extra: { template: template() } } };
    expect(podSpecsOf(d).map((s) => s.path)).toEqual(['spec.template.spec']);
    expect(podSpecsOf({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: badPodSpec() }).map((s) => s.path)).toEqual(['spec']);
  });

  test('the object\'s own metadata and status are not pod specs; a bare embedded PodSpec is', () => {
    const o: KubeObject = { apiVersion: 'example.com/v1', kind: 'Job2', metadata: meta, status: { lastSpec: badPodSpec() }, spec: { podSpec: badPodSpec() } };
    expect(podSpecsOf(o).map((s) => s.path)).toEqual(['spec.podSpec']);
    expect(findingsOf('pod-security/privileged', [o]).map((f) => f.path)).toEqual(['spec.podSpec.initContainers[0].securityContext.privileged']);
  });

  test('keys that are not identifiers are quoted in paths', () => {
    const o: KubeObject = { apiVersion: 'example.com/v1', kind: 'Replicas', metadata: meta, spec: { replicaSpecs: { 'Worker-1': { template: template() } } } };
    expect(podSpecsOf(o).map((s) => s.path)).toEqual(['spec.replicaSpecs["Worker-1"].template.spec']);
  });

  test('the search is bounded: deep nesting, shared and cyclic references terminate', () => {
    let nested: any = { template: template() };
    for (let i = 0; i < POD_SEARCH_DEPTH - 4; i++) nested = { n: nested };
    expect(podSpecsOf({ apiVersion: 'x/v1', kind: 'Deep', metadata: meta, spec: nested })).toHaveLength(1);
    const shared = template();
    const cyclic: any = { a: { template: shared }, b: { template: shared } };
    cyclic.self = cyclic;
    expect(podSpecsOf({ apiVersion: 'x/v1', kind: 'Cyclic', metadata: meta, spec: cyclic })).toHaveLength(1);
  });

  test('the search is linear: a large custom resource is checked quickly', () => {
    const big = { apiVersion: 'x/v1', kind: 'Big', metadata: meta, spec: { items: Array.from({ length: 20000 }, (_, i) => ({ name: `n${i}`, data: { a: [i, { b: 'c' }] } })), template: template() } };
    const start = Date.now();
    expect(evaluate([big], { now: NOW }).length).toBeGreaterThan(0);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

describe('4. tolerations of a Bulwark pool taint with no pool declared', () => {
  const pod = (tolerations: unknown[], kind = 'Pod'): KubeObject => kind === 'Pod'
    ? { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'x' }], tolerations } }
    : { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'p', namespace: 'team-a' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], tolerations } } } };
  const reasons = (o: KubeObject) => findingsOf('nodes/dedicated-pool-toleration', [o]).map((f) => f.reason);
  test.each([
    ['Exists on the pool key', [{ key: 'bulwark.dev/dedicated', operator: 'Exists' }], ['tolerates every dedicated pool']],
    ['Exists on the pool key, one effect', [{ key: 'bulwark.dev/dedicated', operator: 'Exists', effect: 'NoSchedule' }], ['tolerates every dedicated pool']],
    ['Exists on every key', [{ operator: 'Exists' }], ['tolerates every dedicated pool']],
    ['Exists on the empty key', [{ key: '', operator: 'Exists' }], ['tolerates every dedicated pool']],
    ['Equal with a pool name', [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments' }], ['unknown dedicated pool']],
    ['the default operator with a pool name', [{ key: 'bulwark.dev/dedicated', value: 'payments' }], ['unknown dedicated pool']],
    ['Equal with no value', [{ key: 'bulwark.dev/dedicated', operator: 'Equal' }], ['unknown dedicated pool']],
    ['an unrelated toleration', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }], []],
  ])('%s', (_what, tolerations, expected) => {
    expect(reasons(pod(tolerations))).toEqual(expected);
    expect(reasons(pod(tolerations, 'Rollout'))).toEqual(expected);
  });

  test('a workload placed on a declared pool passes (pool.place tolerates it by name)', () => {
    // The reference stack does this; tests/stacks.test.ts checks the whole stack.
    expect(findingsOf('nodes/dedicated-pool-toleration', [pod([{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }])], {
      context: [{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b', annotations: { 'bulwark.dev/dedicated-pool': 'payments' } }, spec: { matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a'] }] } } } }],
    })).toEqual([]);
  });
});

describe('5. trusted registries', () => {
  test.each([
    ['nginx', 'docker.io', 'library/nginx'],
    ['nginx:1.27', 'docker.io', 'library/nginx'],
    ['user/app', 'docker.io', 'user/app'],
    ['docker.io/nginx', 'docker.io', 'library/nginx'],
    ['index.docker.io/user/app', 'docker.io', 'user/app'],
    ['localhost/app', 'localhost', 'app'],
    ['localhost:5000/a/b:t', 'localhost:5000', 'a/b'],
    ['Registry.Example.com/team/app', 'registry.example.com', 'team/app'],
    [`registry.example.com:5000/team/app${DIGEST}`, 'registry.example.com:5000', 'team/app'],
    ['[2001:db8::1]:5000/app', '[2001:db8::1]:5000', 'app'],
  ])('parses %s', (ref, registry, path) => {
    expect(parseImageReference(ref)).toMatchObject({ registry, path });
  });

  test.each(['', ' nginx', 'Nginx', 'registry.example.com/Team/app', 'registry.example.com//app', 'registry.example.com/../app', 'a@sha256:short', 'a:b:c', 'host_with_underscore.com/app', 'registry.example.com:99999/app', 'https://registry.example.com/app', 42, undefined])('refuses %p', (ref) => {
    expect(parseImageReference(ref)).toBeUndefined();
  });

  const trusted = ['registry.example.com', 'ghcr.io/acme', 'docker.io/library'];
  test.each([
    [`registry.example.com/team/app${DIGEST}`, 'registry.example.com'],
    ['registry.example.com/app:1', 'registry.example.com'],
    ['REGISTRY.EXAMPLE.COM/app', 'registry.example.com'],
    ['ghcr.io/acme/tool', 'ghcr.io/acme'],
    ['ghcr.io/acme/sub/tool', 'ghcr.io/acme'],
    ['nginx', 'docker.io/library'],
    ['index.docker.io/library/nginx', 'docker.io/library'],
    ['registry.example.com.evil.io/app', undefined],
    ['evil.io/registry.example.com/app', undefined],
    ['registry.example.com:443/app', undefined],
    ['registry.example.com:5000/app', undefined],
    ['ghcr.io/acmecorp/tool', undefined],
    ['ghcr.io/acme', 'ghcr.io/acme'],
    ['someuser/nginx', undefined],
    ['registry.example.com@sha256:x', undefined],
  ])('%s comes from %p', (ref, entry) => {
    expect(trustedEntryFor(ref, trusted)).toBe(entry);
  });

  test('entries: hosts or host/path prefixes, ports exact, nothing guessed', () => {
    expect(parseRegistryEntry('registry.example.com/team/')).toEqual({ registry: 'registry.example.com', pathPrefix: 'team' });
    expect(parseRegistryEntry('index.docker.io')).toEqual({ registry: 'docker.io', pathPrefix: '' });
    for (const bad of ['myorg', 'https://registry.example.com', '*.example.com', 'registry.example.com/app:1', '', ' registry.example.com']) expect(parseRegistryEntry(bad)).toBeUndefined();
    const image = parseImageReference('registry.example.com:443/app')!;
    expect(fromRegistry(image, parseRegistryEntry('registry.example.com:443')!)).toBe(true);
    expect(fromRegistry(image, parseRegistryEntry('registry.example.com')!)).toBe(false);
    expect(trustedEntryFor('myorg/app', ['myorg'])).toBeUndefined();
  });

  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' },
    spec: {
      initContainers: [{ name: 'init', image: `ghcr.io/x/init${DIGEST}` }],
      containers: [{ name: 'app', image: `registry.example.com/app${DIGEST}` }, { name: 'bad', image: 'Not A Reference' }],
      ephemeralContainers: [{ name: 'debug', image: `busybox${DIGEST}` }],
    },
  };
  test('every container of every kind of pod site is checked, init and ephemeral too', () => {
    const f = findingsOf('images/trusted-registry', [pod], { trustedRegistries: ['registry.example.com'] });
    expect(f.map((x) => [x.path, x.reason])).toEqual([
      ['spec.initContainers[0].image', 'untrusted registry'],
      ['spec.containers[1].image', 'unparseable image reference'],
      ['spec.ephemeralContainers[0].image', 'untrusted registry'],
    ]);
  });
  test('does not apply when no list is configured; a per-object list applies per object', () => {
    expect(findingsOf('images/trusted-registry', [pod])).toEqual([]);
    const other = { ...pod, metadata: { name: 'q', namespace: 'team-b' } };
    const perObject = (o: KubeObject) => (o.metadata?.namespace === 'team-b' ? undefined : ['registry.example.com', 'ghcr.io/x', 'docker.io']);
    expect(findingsOf('images/trusted-registry', [pod, other], { trustedRegistries: perObject }).map((x) => `${x.object.name} ${x.path}`)).toEqual(['p spec.containers[1].image']);
  });
  test('an empty list trusts nothing, and malformed entries are named and match nothing', () => {
    expect(findingsOf('images/trusted-registry', [pod], { trustedRegistries: [] })).toHaveLength(4);
    const [f] = findingsOf('images/trusted-registry', [pod], { trustedRegistries: ['registry.example.com', 'ghcr.io/x', 'docker.io', 'https://evil'] });
    expect(f.detail).toContain('malformed entries ignored: "https://evil"');
  });
});

describe('6. the metadata endpoint in every spelling', () => {
  const np = (egress: unknown[]): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress } });
  const open = (cidr: string, except?: string[]) => findingsOf('network/no-metadata-egress', [np([{ to: [{ ipBlock: { cidr, ...(except ? { except } : {}) } }] }])]).length > 0;

  test('parses dotted-quad tails in IPv6', () => {
    expect(parseCidr('::ffff:169.254.169.254/128')?.bits).toBe(parseCidr('::ffff:a9fe:a9fe/128')?.bits);
    expect(parseCidr('0:0:0:0:0:ffff:169.254.169.254/128')?.bits).toBe(parseCidr('::ffff:a9fe:a9fe/128')?.bits);
    expect(parseCidr('::ffff:169.254.169/128')).toBeUndefined();
    expect(parseCidr('::ffff:169.254.169.254.1/128')).toBeUndefined();
    expect(parseCidr('1.2.3.4::/64')).toBeUndefined();
    expect(effectiveCidr(parseCidr('::ffff:169.254.0.0/112')!)).toEqual(parseCidr('169.254.0.0/16'));
    expect(cidrCovers('169.254.169.254/32', '::ffff:a9fe:a9fe/128')).toBe(true);
  });

  test.each([
    ['::ffff:169.254.169.254/128'], ['::ffff:a9fe:a9fe/128'], ['0:0:0:0:0:ffff:a9fe:a9fe/128'], ['::ffff:169.254.0.0/112'],
    ['::ffff:0:0/96'], ['::/0'], ['fd00::/8'], ['fc00::/7'], ['fe80::/10'], ['0.0.0.0/0'], ['100.64.0.0/10'], ['192.0.0.0/24'],
  ])('egress to %s is refused without its exceptions', (cidr) => {
    expect(open(cidr)).toBe(true);
    expect(open(cidr, metadataInside(cidr))).toBe(false);
  });

  test('::/0 must except every native IPv6 metadata address; AWS\'s alone is not enough', () => {
    expect(metadataInside('::/0')).toEqual(['fd00:ec2::254/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128']);
    expect(open('::/0', ['fd00:ec2::254/128'])).toBe(true);
    // An except may use another spelling of the same address.
    expect(open('::ffff:0:0/96', ['::ffff:a9fe:a9fe/128', '::ffff:6464:64c8/128', '::ffff:c000:c0/128', '::ffff:a83f:8110/128', '::ffff:a9fe:17/128'])).toBe(false);
    expect(open('::ffff:0:0/96', ['::ffff:a9fe:a9fe/128', '::ffff:6464:64c8/128', '::ffff:c000:c0/128'])).toBe(true);
  });

  test('every except Bulwark writes is one the API server accepts: same notation, strictly inside the cidr', () => {
    for (const cidr of ['0.0.0.0/0', '::/0', '::ffff:0:0/96', '::ffff:169.254.0.0/112', '169.254.0.0/16', 'fd00::/8', 'fe80::/10']) {
      const c = parseCidr(cidr)!;
      for (const e of metadataInside(cidr)) {
        const x = parseCidr(e)!;
        expect([cidr, x.family]).toEqual([cidr, c.family]);
        expect(cidrCovers(cidr, e)).toBe(true);
        expect(x.prefix).toBeGreaterThan(c.prefix);
      }
    }
    // The API server (Go's net.IPNet.Contains) does not read ::/0 as containing IPv4-mapped
    // addresses and refuses them as its except; Bulwark neither asks for nor writes them there.
    expect(metadataInside('::/0').some((m) => m.startsWith('::ffff:'))).toBe(false);
  });

  test('METADATA_RANGES lists each IPv4 address in its IPv4-mapped spelling too', () => {
    for (const m of METADATA_RANGES.filter((r) => parseCidr(r)!.family === 4)) expect(METADATA_RANGES).toContain(`::ffff:${m.replace('/32', '/128')}`);
  });

  test('allowEgress excepts every spelling its range contains, and refuses the endpoint in any spelling', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    w.allowEgress('::ffff:0:0/96', Port.tcp(443));
    w.allowEgress('::/0', Port.tcp(443));
    const to = (w.networkPolicy.toJson() as any).spec.egress[0].to;
    expect(to).toEqual(expect.arrayContaining([
      { ipBlock: { cidr: '::ffff:0:0/96', except: ['::ffff:169.254.169.254/128', '::ffff:100.100.100.200/128', '::ffff:192.0.0.192/128', '::ffff:168.63.129.16/128', '::ffff:169.254.0.23/128'] } },
      { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128'] } },
    ]));
    for (const endpoint of ['::ffff:169.254.169.254/128', '::ffff:a9fe:a9fe/128', 'fd20:ce::254/128', '100.100.100.200/32', '168.63.129.16/32', '169.254.0.23/32']) {
      expect(() => w.allowEgress(endpoint, Port.tcp(80))).toThrow(/is the cloud metadata endpoint/);
    }
  });
});
