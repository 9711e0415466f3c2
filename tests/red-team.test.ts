/**
 * Holes a red team found, each a privileged outcome that passed synth with no waiver; each closed
 * as a class and pinned here: every test fails if its hole reopens.
 */
import { ApiObject } from 'cdk8s';
import { LeastPrivilegeRole, Waiver } from '../constructs';
import { CATALOG_BY_ID, evaluate, EvaluateOptions, Finding, KubeObject, unwaived, waiverProblems } from '../policy';
import { podSpecsOf, POD_SEARCH_DEPTH } from '../policy/pod-spec';
import { UNCHECKABLE_NETWORK_POLICY_APIS } from '../policy/rules/network/network-policy-apis';
import { declaredPools } from '../policy/rules/nodes/pools';
import { BUILTIN_RBAC_NAMES } from '../policy/rules/rbac/no-builtin-rbac-changes';
import { noPrivilegedBindings } from '../policy/rules/rbac/no-privileged-bindings';
import { visibleLength } from '../policy/waivers';
import { chartWithNamespace, NOW, synthError } from './helpers';

const RBAC = 'rbac.authorization.k8s.io/v1';
const DIGEST = `@sha256:${'ab'.repeat(32)}`;
const IMAGE = `registry.example.com/team/app${DIGEST}`;
const SA = { kind: 'ServiceAccount', name: 'api', namespace: 'team-a' };

const run = (objects: KubeObject[], options: EvaluateOptions = {}): Finding[] => evaluate(objects, { now: NOW, trustedRegistries: ['registry.example.com'], ...options });
const ids = (objects: KubeObject[], options: EvaluateOptions = {}) => [...new Set(run(objects, options).map((f) => f.ruleId))].sort();
const findingsOf = (rule: string, objects: KubeObject[], options: EvaluateOptions = {}) => run(objects, options).filter((f) => f.ruleId === rule);
const unwaivedOf = (rule: string, objects: KubeObject[], options: EvaluateOptions = {}) => unwaived(findingsOf(rule, objects, options));

/** The object carrying a valid-looking waiver of `rule`. */
function waived(o: KubeObject, rule: string): KubeObject {
  return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, 'bulwark.dev/waivers': JSON.stringify([{ rule, reason: 'the red team says this is fine, honestly', owner: 'red-team' }]) } } };
}

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], namespace = 'team-a'): KubeObject => ({
  apiVersion: RBAC, kind, metadata: { name, ...(kind === 'Role' ? { namespace } : {}) }, rules,
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: { kind: string; name: string }, subjects: unknown[] = [SA], namespace = 'team-a'): KubeObject => ({
  apiVersion: RBAC, kind, metadata: { name, ...(kind === 'RoleBinding' ? { namespace } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});

/** A container and pod spec every pod rule accepts. */
const goodContainer = (name = 'app') => ({
  name, image: IMAGE,
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' }, limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' } },
  livenessProbe: { httpGet: { path: '/healthz', port: 8443 } }, readinessProbe: { httpGet: { path: '/ready', port: 8443 } },
});
const goodPodSpec = (extra: Record<string, unknown> = {}) => ({
  automountServiceAccountToken: false, serviceAccountName: 'api',
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [goodContainer()],
  ...extra,
});
const defaultDeny = (apiVersion = 'networking.k8s.io/v1', namespace = 'team-a'): KubeObject => ({
  apiVersion, kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});
const pod = (spec: Record<string, unknown>, namespace = 'team-a'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, labels: { app: 'p' } }, spec });

describe('1. manifests that redefine built-in RBAC objects', () => {
  const RULE = 'rbac/no-builtin-rbac-changes';

  test('ClusterRole system:basic-user (bound to every authenticated user) with pods: create is refused, and no waiver relaxes it', () => {
    const basicUser = role('ClusterRole', 'system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
    ]);
    expect(ids([basicUser])).toEqual([RULE]);
    expect(CATALOG_BY_ID.get(RULE)).toMatchObject({ waivable: false, severity: 'critical' });
    expect(unwaivedOf(RULE, [waived(basicUser, RULE)])).toHaveLength(1);
  });

  test('cluster-admin carrying one more label, which an aggregationRule of the attacker selects, is refused on the relabelled role', () => {
    const label = 'rbac.example.com/aggregate-to-monitoring';
    const clusterAdmin = { ...role('ClusterRole', 'cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]), metadata: { name: 'cluster-admin', labels: { [label]: 'true', 'kubernetes.io/bootstrapping': 'rbac-defaults' } } };
    const aggregator: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] } };
    expect(unwaivedOf(RULE, [clusterAdmin, aggregator]).map((f) => f.object.name)).toEqual(['cluster-admin']);
    // Decided: the aggregating role itself stays allowed. A selector on a label of your own keeps
    // built-in roles out because nothing can label them: this rule refuses manifests that redefine
    // them, and through the API a change to one needs every permission it grants.
    expect(ids([aggregator])).toEqual([]);
  });

  test.each([
    ['ClusterRole', 'cluster-admin'], ['ClusterRole', 'admin'], ['ClusterRole', 'edit'], ['ClusterRole', 'view'],
    ['ClusterRole', 'system:node'], ['ClusterRole', 'system:aggregate-to-edit'], ['ClusterRole', 'kubeadm:get-nodes'],
    ['ClusterRoleBinding', 'cluster-admin'], ['ClusterRoleBinding', 'system:basic-user'], ['ClusterRoleBinding', 'system:public-info-viewer'], ['ClusterRoleBinding', 'kubeadm:cluster-admins'],
    ['Role', 'system::leader-locking-kube-scheduler'], ['Role', 'system:controller:bootstrap-signer'], ['Role', 'extension-apiserver-authentication-reader'], ['Role', 'kube-proxy'],
    ['RoleBinding', 'system:controller:token-cleaner'], ['RoleBinding', 'kubeadm:nodes-kubeadm-config'], ['RoleBinding', 'kube-proxy'],
  ] as const)('%s %s is refused', (kind, name) => {
    const o = kind === 'Role' || kind === 'ClusterRole'
      ? role(kind, name, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }], 'kube-system')
      : binding(kind, name, { kind: 'ClusterRole', name: 'reader' }, [SA], 'kube-system');
    expect(findingsOf(RULE, [o]).map((f) => f.path)).toEqual(['metadata.name']);
  });

  test.each([
    ['a Role named admin in a team namespace (the built-in admin is a ClusterRole)', role('Role', 'admin', [])],
    ['a ClusterRoleBinding named view (no such built-in binding)', binding('ClusterRoleBinding', 'view', { kind: 'ClusterRole', name: 'reader' })],
    ['a ClusterRole whose name only contains system', role('ClusterRole', 'systemd-reader', [])],
    ['a Role kube-proxy outside kube-system', role('Role', 'kube-proxy', [])],
  ])('%s is not', (_what, o) => {
    expect(findingsOf(RULE, [o])).toEqual([]);
  });

  test('every built-in name without a reserved prefix is in the one table', () => {
    expect(BUILTIN_RBAC_NAMES.ClusterRole).toEqual(expect.arrayContaining(['cluster-admin', 'admin', 'edit', 'view']));
  });

  test('a raw redefinition added to a chart fails synth', () => {
    const { chart } = chartWithNamespace();
    new ApiObject(chart, 'raw', role('ClusterRole', 'system:basic-user', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]));
    expect(synthError(chart)).toContain(`[${RULE}]`);
  });
});

describe('2. the built-in view role bound cluster-wide', () => {
  const RULE = 'rbac/no-privileged-bindings';
  test('a ClusterRoleBinding to view is refused, as edit is', () => {
    for (const name of ['view', 'edit']) {
      expect(ids([binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name })])).toEqual([RULE]);
    }
  });
  test('a RoleBinding to view in one namespace is fine; to edit it is not', () => {
    expect(ids([binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'view' })])).toEqual([]);
    expect(ids([binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'edit' })])).toEqual([RULE]);
  });
  test('the in-cluster guardrail refuses the same: view only in a ClusterRoleBinding', () => {
    const form = noPrivilegedBindings.admission!({ trustedRegistries: [], pools: new Map(), allowedBindings: [] });
    const broad = form.variables!.find((v) => v.name === 'broadRole')!.expression;
    expect(broad).toContain("object.kind == 'ClusterRoleBinding' && object.roleRef.name in ['view']");
  });
});

describe('3. the host filesystem through a PersistentVolume', () => {
  const pv = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'data' }, spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], ...spec } });
  const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'team-a' }, spec: { volumeName: 'data', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } };
  const restricted = pod(goodPodSpec({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }));

  test('a hostPath PersistentVolume is refused, without waiver, though the restricted pod that mounts it passes every pod rule', () => {
    const hostRoot = pv({ hostPath: { path: '/' } });
    expect(ids([restricted], { context: [defaultDeny()] }).filter((r) => r.startsWith('pod-security/'))).toEqual([]);
    expect(ids([hostRoot, claim])).toEqual(['storage/no-host-path-persistent-volumes']);
    expect(CATALOG_BY_ID.get('storage/no-host-path-persistent-volumes')?.waivable).toBe(false);
    expect(unwaivedOf('storage/no-host-path-persistent-volumes', [waived(hostRoot, 'storage/no-host-path-persistent-volumes')])).toHaveLength(1);
  });

  test.each([
    ['local', { local: { path: '/' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } }],
    ['nfs', { nfs: { server: '10.0.0.5', path: '/' } }],
    ['csi', { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123' } }],
    ['iscsi', { iscsi: { targetPortal: '10.0.0.5:3260', iqn: 'iqn.x', lun: 0 } }],
    ['flexVolume', { flexVolume: { driver: 'example/driver' } }],
    ['no source Bulwark knows', { futureSource: { path: '/' } }],
  ])('a %s PersistentVolume is refused by the waivable rule, and a waiver relaxes it', (_what, spec) => {
    const o = pv(spec);
    expect(ids([o])).toEqual(['storage/static-persistent-volumes']);
    expect(unwaivedOf('storage/static-persistent-volumes', [waived(o, 'storage/static-persistent-volumes')])).toEqual([]);
  });

  test('a claim for a provisioned volume is fine', () => {
    expect(ids([{ ...claim, spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }])).toEqual([]);
  });
});

describe('4. network policy APIs the engine cannot analyse', () => {
  const RULE = 'network/uncheckable-network-policies';
  const all = Object.entries(UNCHECKABLE_NETWORK_POLICY_APIS).flatMap(([group, kinds]) => kinds.map((k) => [group, k === '*' ? 'AdminNetworkPolicy' : k]));

  test.each(all)('%s %s is flagged', (group, kind) => {
    expect(findingsOf(RULE, [{ apiVersion: `${group}/v1`, kind, metadata: { name: 'x', namespace: 'team-a' }, spec: {} }])).toHaveLength(1);
  });

  test.each([
    ['CiliumClusterwideNetworkPolicy', 'cilium.io/v2'], ['BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'],
    ['GlobalNetworkPolicy', 'projectcalico.org/v3'], ['NetworkPolicy', 'projectcalico.org/v3'],
    ['NetworkPolicy', 'networking.k8s.io/v1alpha1'], ['NetworkPolicy', 'networking.k8s.io/v1beta1'], ['NetworkPolicy', 'extensions/v1beta1'],
    ['FutureNetworkPolicy', 'example.io/v1'], ['NetworkPolicy', 'example.io/v1'],
  ])('%s of %s is flagged, and can be waived', (kind, apiVersion) => {
    const o: KubeObject = { apiVersion, kind, metadata: { name: 'x', namespace: 'team-a' }, spec: { podSelector: {} } };
    expect(findingsOf(RULE, [o])).toHaveLength(1);
    expect(unwaivedOf(RULE, [waived(o, RULE)])).toEqual([]);
  });

  test('a networking.k8s.io/v1 NetworkPolicy is not flagged, nor unrelated kinds of the same groups', () => {
    expect(findingsOf(RULE, [defaultDeny()])).toEqual([]);
    expect(findingsOf(RULE, [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'team-a' }, spec: {} }])).toEqual([]);
    expect(findingsOf(RULE, [{ apiVersion: 'cilium.io/v2', kind: 'CiliumNode', metadata: { name: 'n' }, spec: {} }])).toEqual([]);
  });

  test('the network rules read only networking.k8s.io NetworkPolicies: a Calico policy is not misread as one', () => {
    const calico: KubeObject = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'team-a' }, spec: { egress: [{ action: 'Allow' }] } };
    expect(ids([calico])).toEqual([RULE]);
  });
});

describe('5. pod specs and containers the engine never found', () => {
  const privileged = () => goodPodSpec({ containers: [{ ...goodContainer(), securityContext: { ...goodContainer().securityContext, privileged: true } }] });
  const meta = { name: 'x', namespace: 'team-a' };

  test('a Volcano Job (kind Job, group batch.volcano.sh) is searched: its tasks\' privileged pods are refused', () => {
    const volcano: KubeObject = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: meta, spec: { minAvailable: 1, tasks: [{ name: 'ok', replicas: 1, template: { spec: goodPodSpec() } }, { name: 'bad', replicas: 1, template: { spec: privileged() } }] } };
    expect(podSpecsOf(volcano).map((s) => s.path)).toEqual(['spec.tasks[0].template.spec', 'spec.tasks[1].template.spec']);
    expect(findingsOf('pod-security/privileged', [volcano]).map((f) => f.path)).toEqual(['spec.tasks[1].template.spec.containers[0].securityContext.privileged']);
  });

  test('a known kind name in another group is searched like any unknown kind; in its own group it keeps its fixed path', () => {
    const fake: KubeObject = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: meta, spec: { workers: { template: { spec: privileged() } } } };
    expect(findingsOf('pod-security/privileged', [fake])).toHaveLength(1);
    const real: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { template: { spec: privileged() } } };
    expect(podSpecsOf(real).map((s) => s.path)).toEqual(['spec.template.spec']);
    expect(podSpecsOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { template: { spec: privileged() } } }).map((s) => s.path)).toEqual(['spec.template.spec']);
  });

  const RULE = 'workloads/uncheckable-containers';
  test('an Argo Workflow\'s template containers, scripts, init containers and sidecars are flagged', () => {
    const wf: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: meta,
      spec: { entrypoint: 'main', templates: [
        { name: 'main', container: { image: IMAGE, securityContext: { privileged: true } }, initContainers: [{ name: 'i', image: IMAGE }], sidecars: [{ name: 's', image: IMAGE }] },
        { name: 'script', script: { image: IMAGE, source: 'echo' } },
        { name: 'steps', steps: [[{ name: 'a', template: 'main' }]] },
      ] },
    };
    expect(findingsOf(RULE, [wf]).map((f) => f.path)).toEqual([
      'spec.templates[0].container', 'spec.templates[0].initContainers[0]', 'spec.templates[0].sidecars[0]', 'spec.templates[1].script',
    ]);
    expect(CATALOG_BY_ID.get(RULE)?.waivable).toBe(true);
    expect(unwaivedOf(RULE, [waived(wf, RULE)])).toEqual([]);
  });

  test('podSpecPatch, a pod spec written as a string, is flagged wherever it is', () => {
    const wf: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: meta, spec: { workflowTemplateRef: { name: 't' }, podSpecPatch: '{"containers":[{"name":"main","securityContext":{"privileged":true}}]}', templates: [{ name: 'x', podSpecPatch: 'containers: []' }] } };
    expect(findingsOf(RULE, [wf]).map((f) => f.path)).toEqual(['spec.podSpecPatch', 'spec.templates[0].podSpecPatch']);
  });

  test('a Tekton Task\'s steps and sidecars are flagged', () => {
    const task: KubeObject = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: meta, spec: { steps: [{ name: 'build', image: IMAGE, script: 'make', securityContext: { privileged: true } }], sidecars: [{ name: 'docker', image: 'docker:dind' }] } };
    expect(findingsOf(RULE, [task]).map((f) => f.path)).toEqual(['spec.steps[0]', 'spec.sidecars[0]']);
  });

  test('containers inside a pod spec the engine checks are not flagged (they are checked), in known and unknown kinds', () => {
    expect(findingsOf(RULE, [pod(privileged())])).toEqual([]);
    expect(findingsOf(RULE, [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { template: { spec: goodPodSpec() } } }])).toEqual([]);
    expect(findingsOf(RULE, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { replicas: 2, template: { spec: goodPodSpec({ initContainers: [goodContainer('init')] }) } } }])).toEqual([]);
  });

  test('a pod spec with no containers list (only init containers) is not a pod spec: its containers are flagged', () => {
    const o: KubeObject = { apiVersion: 'example.com/v1', kind: 'Runner', metadata: meta, spec: { podSpec: { initContainers: [{ name: 'i', image: IMAGE, securityContext: { privileged: true } }], containers: [] } } };
    expect(findingsOf(RULE, [o]).map((f) => f.path)).toEqual(['spec.podSpec.initContainers[0]']);
  });

  test('nesting deeper than the pod spec search is flagged, not silently skipped', () => {
    let nested: any = { template: { spec: privileged() } };
    for (let i = 0; i < POD_SEARCH_DEPTH + 2; i++) nested = { n: nested };
    const o: KubeObject = { apiVersion: 'x/v1', kind: 'Deep', metadata: meta, spec: nested };
    expect(podSpecsOf(o)).toEqual([]);
    expect(findingsOf(RULE, [o]).map((f) => f.reason)).toEqual(['nested too deep to check']);
  });

  test('the walk is linear: a large custom resource is checked quickly', () => {
    const big: KubeObject = { apiVersion: 'x/v1', kind: 'Big', metadata: meta, spec: { items: Array.from({ length: 50000 }, (_, i) => ({ name: `n${i}`, data: { a: [i, { b: 'c' }] } })), step: { image: IMAGE } } };
    const start = Date.now();
    expect(findingsOf(RULE, [big]).map((f) => f.path)).toEqual(['spec.step']);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  test('objects without a string image are fine; the object\'s own metadata is not searched', () => {
    expect(findingsOf(RULE, [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { ...meta, annotations: { image: IMAGE } }, spec: { size: 3, imageRef: IMAGE, volume: { image: { reference: IMAGE } } } }])).toEqual([]);
  });
});

describe('6a. cross-object rules count only objects the API server serves', () => {
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'team-a' }, spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: goodPodSpec() } } };

  test('a networking.k8s.io/v1alpha1 NetworkPolicy is not coverage; a v1 one is', () => {
    expect(findingsOf('network/pod-has-network-policy', [deployment], { context: [defaultDeny('networking.k8s.io/v1alpha1')] })).toHaveLength(1);
    expect(findingsOf('network/pod-has-network-policy', [deployment], { context: [defaultDeny('example.com/v1')] })).toHaveLength(1);
    expect(findingsOf('network/pod-has-network-policy', [deployment], { context: [defaultDeny()] })).toEqual([]);
  });

  test('a PodDisruptionBudget counts only as policy/v1', () => {
    const pdb = (apiVersion: string): KubeObject => ({ apiVersion, kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'team-a' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } } });
    expect(findingsOf('workloads/disruption-budget', [deployment], { context: [pdb('policy/v1beta1')] })).toHaveLength(1);
    expect(findingsOf('workloads/disruption-budget', [deployment], { context: [pdb('policy/v1')] })).toEqual([]);
  });

  test('a look-alike HorizontalPodAutoscaler does not lower a workload\'s replicas', () => {
    const unset = { ...deployment, spec: { ...deployment.spec, replicas: undefined } };
    const hpa = (apiVersion: string): KubeObject => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'team-a' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 5 } });
    // minReplicas 3 from a real autoscaler requires a budget; a fake one is not read at all (replicas default 1).
    expect(findingsOf('workloads/disruption-budget', [unset], { context: [hpa('autoscaling/v2')] })).toHaveLength(1);
    expect(findingsOf('workloads/autoscaler-owns-replicas', [deployment], { context: [hpa('example.com/v1')] })).toEqual([]);
    expect(findingsOf('workloads/autoscaler-owns-replicas', [deployment], { context: [hpa('autoscaling/v2')] })).toHaveLength(1);
  });

  test('a binding\'s role is looked up among rbac.authorization.k8s.io/v1 roles only, and every role of that name is judged', () => {
    const crossNs = binding('RoleBinding', 'b', { kind: 'Role', name: 'deployer' }, [{ kind: 'ServiceAccount', name: 'ci', namespace: 'team-b' }]);
    const creates = role('Role', 'deployer', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }]);
    const harmless = role('Role', 'deployer', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }]);
    const RULE = 'rbac/no-cross-namespace-workloads';
    expect(findingsOf(RULE, [crossNs], { context: [creates] })).toHaveLength(1);
    // A harmless look-alike of a version the API server does not serve, placed first, used to stand in for the real role.
    expect(findingsOf(RULE, [crossNs], { context: [{ ...harmless, apiVersion: 'rbac.authorization.k8s.io/v1alpha1' }, creates] })).toHaveLength(1);
    // Two v1 roles of one name: which the cluster keeps depends on the order of apply, so both are judged.
    expect(findingsOf(RULE, [crossNs], { context: [harmless, creates] })).toHaveLength(1);
    expect(findingsOf(RULE, [crossNs], { context: [harmless] })).toEqual([]);
  });

  test('a look-alike Namespace neither allows external Services nor moves a namespace into another team', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'team-a' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } };
    const fakeNs: KubeObject = { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'bulwark.dev/allow-external-services': 'true' } } };
    expect(findingsOf('network/no-external-services', [svc], { context: [fakeNs] })).toHaveLength(1);

    const ns = (name: string, team: string, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind: 'Namespace', metadata: { name, labels: { 'bulwark.dev/team': team } } });
    const np: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'a-ns' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b-ns' } } }] }] } };
    const RULE = 'network/cross-team-traffic';
    expect(findingsOf(RULE, [np], { context: [ns('a-ns', 'a'), ns('b-ns', 'b')] })).toHaveLength(1);
    // The attacker's look-alike says b-ns belongs to team a.
    expect(findingsOf(RULE, [np], { context: [ns('a-ns', 'a'), ns('b-ns', 'b'), ns('b-ns', 'a', 'example.com/v1')] })).toHaveLength(1);
  });
});

describe('6b. dedicated pools declared by several bindings', () => {
  const vapb = (name: string, allowed: string[], apiVersion = 'admissionregistration.k8s.io/v1'): KubeObject => ({
    apiVersion, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name, annotations: { 'bulwark.dev/dedicated-pool': 'payments' } },
    spec: { policyName: 'bulwark-dedicated-pool-payments', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: allowed }] } } },
  });
  const real = vapb('bulwark-dedicated-pool-payments', ['team-a']);
  const fake = vapb('zz-payments-too', ['team-a', 'team-b']);
  const tolerating = pod(goodPodSpec({ tolerations: [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }] }), 'team-b');
  const RULE = 'nodes/dedicated-pool-toleration';

  test('a binding added later cannot open the pool: only namespaces every binding allows may tolerate it', () => {
    expect(declaredPools([real, fake]).get('payments')).toEqual(['team-a']);
    expect(declaredPools([fake, real]).get('payments')).toEqual(['team-a']);
    expect(findingsOf(RULE, [tolerating], { context: [real, fake] }).map((f) => f.reason)).toEqual(['dedicated pool not allowed']);
  });

  test('a pool declared twice with different lists is flagged on each binding; twice with the same list is not', () => {
    expect(findingsOf(RULE, [real, fake]).map((f) => `${f.object.name} ${f.reason}`)).toEqual([
      'bulwark-dedicated-pool-payments dedicated pool declared twice', 'zz-payments-too dedicated pool declared twice',
    ]);
    expect(findingsOf(RULE, [real, vapb('copy', ['team-a'])])).toEqual([]);
    expect(CATALOG_BY_ID.get(RULE)?.waivable).toBe(false);
  });

  test('only admissionregistration.k8s.io/v1 bindings declare a pool', () => {
    expect(declaredPools([vapb('beta', ['team-b'], 'admissionregistration.k8s.io/v1beta1')]).size).toBe(0);
    expect(findingsOf(RULE, [tolerating], { context: [vapb('beta', ['team-b'], 'admissionregistration.k8s.io/v1beta1')] }).map((f) => f.reason)).toEqual(['unknown dedicated pool']);
  });
});

describe('7. RBAC escalation paths missing from the catalog', () => {
  const clusterRole = (rule: unknown) => role('ClusterRole', 'r', [rule]);

  test.each([
    ['apiextensions.k8s.io', 'customresourcedefinitions', 'rbac/no-sensitive-apis'],
    ['apiregistration.k8s.io', 'apiservices', 'rbac/no-sensitive-apis'],
  ])('writes to %s %s are refused', (group, resource, rule) => {
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) expect(ids([clusterRole({ apiGroups: [group], resources: [resource], verbs: [verb] })])).toEqual([rule]);
    expect(ids([clusterRole({ apiGroups: [group], resources: [resource], verbs: ['get', 'list', 'watch'] })])).toEqual([]);
  });

  test.each(['pods/proxy', 'services/proxy'])('%s is refused for every HTTP verb, also as */proxy', (resource) => {
    for (const verb of ['get', 'create', 'update', 'patch', 'delete']) expect(ids([role('Role', 'r', [{ apiGroups: [''], resources: [resource], verbs: [verb] }])])).toEqual(['rbac/no-exec-attach']);
    expect(ids([role('Role', 'r', [{ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] }])])).toEqual(['rbac/no-exec-attach', 'rbac/no-wildcards']);
  });

  test.each([
    ['', 'endpoints', ['create', 'update', 'patch']],
    ['discovery.k8s.io', 'endpointslices', ['create', 'update', 'patch']],
    ['', 'pods/status', ['update', 'patch']],
    ['', 'services/status', ['update', 'patch']],
  ])('writes to %s %s redirect traffic and are refused; reads are not', (group, resource, verbs) => {
    for (const verb of verbs) expect(ids([role('Role', 'r', [{ apiGroups: [group], resources: [resource], verbs: [verb] }])])).toEqual(['rbac/no-traffic-redirection']);
    expect(ids([role('Role', 'r', [{ apiGroups: [group], resources: [resource], verbs: ['get', 'list', 'watch'] }])])).toEqual([]);
  });

  test('LeastPrivilegeRole.allow refuses them at once (every rbac/ rule is checked as grants are added)', () => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'router', { namespace: ns });
    expect(() => r.allow({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['patch'] })).toThrow(/\(rule rbac\/no-traffic-redirection\)/);
    expect(() => r.allow({ apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] })).toThrow(/\(rule rbac\/no-exec-attach\)/);
  });

  const token = (type: string, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind: 'Secret', metadata: { name: 't', namespace: 'team-a', annotations: { 'kubernetes.io/service-account.name': 'controller' } }, type });
  test('a Secret of type kubernetes.io/service-account-token in the manifests mints a token that never expires: refused, critical, waivable with a reason', () => {
    expect(ids([token('kubernetes.io/service-account-token')])).toEqual(['rbac/no-long-lived-tokens']);
    expect(CATALOG_BY_ID.get('rbac/no-long-lived-tokens')).toMatchObject({ severity: 'critical', waivable: true });
    expect(ids([token('Opaque')])).toEqual([]);
  });
});

describe('8. waiver reasons that print nothing', () => {
  const rule = { waivable: true };
  test.each([
    ['20 zero-width spaces', '\u200b'.repeat(20)],
    ['zero-width joiners and non-joiners', '\u200c\u200d'.repeat(15)],
    ['a BOM and word joiners', '\ufeff\u2060'.repeat(15)],
    ['Hangul fillers', '\u3164\u115f'.repeat(15)],
    ['ideographic and no-break spaces', '\u3000\u00a0\u2007'.repeat(10)],
    ['bidi marks and soft hyphens', '\u200e\u200f\u00ad'.repeat(10)],
    ['variation selectors and tag characters', '\ufe0f\u{e0041}'.repeat(15)],
    ['blank Braille patterns', '\u2800'.repeat(25)],
    ['three letters hidden among invisible ones', `a${'\u200b'.repeat(30)}b\u200bc`],
    ['one letter under 30 combining accents', `e${'\u0301'.repeat(30)}`],
  ])('%s are too short', (_what, reason) => {
    expect(waiverProblems({ rule: 'x', reason }, rule, NOW).join(' ')).toMatch(/is too short/);
    expect(() => Waiver.of('images/digest-pinned', { reason })).toThrow(/is too short/);
  });

  test.each([
    ['a plain sentence', 'the vendor image has no digest yet'],
    ['accented words', 'l\u2019image du fournisseur n\u2019a pas encore de condensat'],
    ['CJK text of 20 characters', '供应商镜像尚无摘要请在下个版本中固定哈希值'],
  ])('%s is long enough', (_what, reason) => {
    expect(waiverProblems({ rule: 'x', reason }, rule, NOW)).toEqual([]);
  });

  test('visibleLength counts what a reader sees', () => {
    expect(visibleLength('\u200b'.repeat(20))).toBe(0);
    expect(visibleLength('👨‍👩‍👧‍👦 ok')).toBe(3);
  });

  test('an annotation waiver of 20 zero-width spaces does not waive and is reported', () => {
    const o: KubeObject = { ...pod(goodPodSpec({ containers: [{ ...goodContainer(), image: 'registry.example.com/team/app:1' }] })), metadata: { name: 'p', namespace: 'team-a', annotations: { 'bulwark.dev/waivers': JSON.stringify([{ rule: 'images/digest-pinned', reason: '\u200b'.repeat(20) }]) } } };
    const f = run([o], { context: [defaultDeny()] });
    expect(unwaived(f).map((x) => x.ruleId)).toEqual(expect.arrayContaining(['images/digest-pinned', 'waivers/valid-waiver']));
  });
});

describe('9. CIDRs the engine cannot parse', () => {
  const np = (direction: 'ingress' | 'egress', cidr: unknown): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'team-a' },
    spec: { podSelector: {}, policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'], [direction]: [{ [direction === 'ingress' ? 'from' : 'to']: [{ ipBlock: { cidr } }], ports: [{ port: 443 }] }] },
  });
  test.each([['0.0.0.0'], ['169.254.169.254'], ['0.0.0.0/0 '], ['::ffff:0:0/96/1'], ['0.0.0.0/33'], ['fe80::a9fe:a9fe%eth0/128'], ['all'], [''], [42], [null]])('%p is a violation in egress and in ingress', (cidr) => {
    expect(findingsOf('network/no-metadata-egress', [np('egress', cidr)]).map((f) => f.path)).toEqual(['spec.egress[0].to[0].ipBlock']);
    expect(findingsOf('network/no-allow-all-ingress', [np('ingress', cidr)]).map((f) => f.path)).toEqual(['spec.ingress[0].from[0].ipBlock']);
  });
  test('parsable private ranges stay fine', () => {
    expect(findingsOf('network/no-metadata-egress', [np('egress', '10.0.0.0/8')])).toEqual([]);
    expect(findingsOf('network/no-allow-all-ingress', [np('ingress', '10.0.0.0/8')])).toEqual([]);
  });
});

describe('10. nulls the API server reads as zero values', () => {
  // sigs.k8s.io/json decodes a JSON null into a typed field as its zero value: a null toleration
  // key is no key, a null item of a string list is "". YAML writes null as ~, null or nothing.
  const role = (apiGroups: unknown[], resources: string[], verbs: string[]): KubeObject => ({
    apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'helper' }, rules: [{ apiGroups, resources, verbs }],
  });

  test.each([
    ['nodes/proxy', ['get'], 'rbac/no-exec-attach'],
    ['pods/exec', ['create'], 'rbac/no-exec-attach'],
    ['secrets', ['list'], 'rbac/secrets-by-name'],
    ['secrets', ['create'], 'rbac/no-secret-creation'],
    ['serviceaccounts/token', ['create'], 'rbac/no-sensitive-apis'],
    ['nodes', ['patch'], 'rbac/no-namespace-node-mutation'],
  ])('apiGroups [null] is the core group: %s %j is %s\'s, as with [""]', (resource, verbs, rule) => {
    expect(ids([role([''], [resource], verbs)])).toContain(rule);
    expect(ids([role([null], [resource], verbs)])).toEqual(ids([role([''], [resource], verbs)]));
  });

  test('a toleration whose key is null tolerates every taint: refused like one with no key', () => {
    const spec = (toleration: Record<string, unknown>) => pod(goodPodSpec({ tolerations: [toleration] }));
    expect(findingsOf('nodes/dedicated-pool-toleration', [spec({ operator: 'Exists' })])).toHaveLength(1);
    expect(findingsOf('nodes/dedicated-pool-toleration', [spec({ key: null, operator: 'Exists' })])).toHaveLength(1);
  });

  test('bulwark check reads ~, null and an empty item as the API server does', () => {
    const { run: cli } = jest.requireActual('../cli/bulwark') as typeof import('../cli/bulwark');
    const fs = jest.requireActual('fs') as typeof import('fs');
    const dir = fs.mkdtempSync(require('path').join(require('os').tmpdir(), 'bulwark-nulls-'));
    const file = `${dir}/role.yaml`;
    fs.writeFileSync(file, [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata: {name: reader, namespace: team-a}', 'rules:',
      '- apiGroups:', '  -', '  resources: [secrets]', '  verbs: [get, list]',
      '- apiGroups: [~]', '  resources: [pods/exec]', '  verbs: [create]', '',
    ].join('\n'));
    const r = cli(['check', file, '--format', 'json'], NOW);
    const found = JSON.parse(r.stdout).findings.map((f: Finding) => f.ruleId);
    expect(found).toEqual(expect.arrayContaining(['rbac/secrets-by-name', 'rbac/no-exec-attach']));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('findings stay with the object given, and a registry list per object still applies to it', () => {
    const o = { ...pod(goodPodSpec({ containers: [{ ...goodContainer(), image: 'elsewhere.example.net/app' + DIGEST }] })), status: null } as KubeObject;
    const perObject = evaluate([o], { now: NOW, trustedRegistries: (x) => (x === o ? ['registry.example.com'] : undefined) });
    expect(perObject.filter((f) => f.ruleId === 'images/trusted-registry')).toHaveLength(1);
  });
});
