import { JsonPatch } from 'cdk8s';
import * as yaml from 'yaml';
import { Construct } from 'constructs';
import { ControlPlane, DedicatedNodePool, IsolatedNamespace, SecureWorkload, Waiver } from '../constructs';
import { evaluate } from '../policy';
import { dedicatedPoolCel } from '../policy/rules/nodes/dedicated-pool-toleration';
import '../policy/testing';
import { byKind, chartWithNamespace, container, NOW, synth, synthError } from './helpers';

function setup(props: Partial<ConstructorParameters<typeof DedicatedNodePool>[2]> = {}) {
  const { chart, ns } = chartWithNamespace();
  const other = new IsolatedNamespace(chart, 'team-b');
  const pool = new DedicatedNodePool(chart, 'payments', { allowedNamespaces: [ns], ...props });
  return { chart, ns, other, pool };
}

describe('defaults', () => {
  const { chart, ns, pool } = setup({ karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } });
  const w = new SecureWorkload(chart, 'ledger', { namespace: ns, sensitive: true, containers: [container()] });
  const placement = pool.place(w);
  const objects = synth(chart);
  const pod = byKind(objects, 'Deployment', 'ledger').spec.template.spec;

  test('synthesizes the same manifests as the snapshot', () => {
    expect(yaml.stringify(objects.filter((o) => ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'NodePool', 'Deployment'].includes(o.kind)))).toMatchSnapshot();
  });

  test('the node contract: a NoSchedule taint and a node-restriction.kubernetes.io label', () => {
    expect(pool.taints).toEqual([{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]);
    expect(pool.nodeLabels).toEqual({ 'node-restriction.kubernetes.io/bulwark-pool': 'payments' });
  });

  test('place() adds the toleration and a required node affinity, and returns them', () => {
    expect(pod.tolerations).toEqual(placement.tolerations);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node-restriction.kubernetes.io/bulwark-pool', operator: 'In', values: ['payments'] }] },
    ]);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
  });

  test('renders a Karpenter NodePool with the label and taint', () => {
    const np = byKind(objects, 'NodePool', 'payments');
    expect(np.apiVersion).toBe('karpenter.sh/v1');
    expect(np.spec.template.metadata.labels).toEqual(pool.nodeLabels);
    expect(np.spec.template.spec.taints).toEqual([{ key: 'bulwark.dev/dedicated', value: 'payments', effect: 'NoSchedule' }]);
  });

  test('the guardrail applies the rule\'s CEL to Pods and every workload controller in every namespace but the allowed ones', () => {
    const vap = byKind(objects, 'ValidatingAdmissionPolicy');
    expect(vap.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(vap.spec.validations[0].expression).toBe(dedicatedPoolCel('payments').expression);
    expect(vap.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources)).toEqual(expect.arrayContaining(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers']));
    expect(vap.spec.variables.map((v: any) => v.name)).toEqual(['podSpec', 'containers', 'tolerations']);
    const binding = byKind(objects, 'ValidatingAdmissionPolicyBinding');
    expect(binding.spec.validationActions).toEqual(['Deny', 'Audit']);
    expect(binding.spec.matchResources.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a'] }]);
  });

  test('a ControlPlane renders a kubeadm join file and a kind worker with the taint, and leaves the label to an admin', () => {
    const files = new ControlPlane(chart.node.root as Construct, 'control-plane', { controlPlaneEndpoint: 'k8s.example.com:6443' }).controlPlaneFiles();
    const join = files['kubeadm-join-payments.yaml'].documents[0] as any;
    expect(join.nodeRegistration.taints).toEqual([{ key: 'bulwark.dev/dedicated', value: 'payments', effect: 'NoSchedule' }]);
    const kind = files['kind-cluster.yaml'].documents[0] as any;
    expect(kind.nodes.map((n: any) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(kind.nodes[2].kubeadmConfigPatches[0]).toContain('key: bulwark.dev/dedicated');
    expect(JSON.stringify(files)).not.toContain('node-labels');
    expect(files['kubeadm-join-payments.yaml'].header).toContain('kubectl label node <node> node-restriction.kubernetes.io/bulwark-pool=payments');
  });

  test('passes restricted and has no findings', () => {
    expect(objects).toPassPodSecurity('restricted', '1.36');
    expect(objects).toHaveNoFindings({ now: NOW });
  });
});

test('NoExecute is added when asked for', () => {
  const { pool } = setup({ evictUntolerated: true });
  expect(pool.taints.map((t) => t.effect)).toEqual(['NoSchedule', 'NoExecute']);
});

test('the nodePool prop places a single-replica workload (no anti-affinity to merge with)', () => {
  const { chart, ns, pool } = setup();
  new SecureWorkload(chart, 'job', { namespace: ns, kind: 'Job', sensitive: true, nodePool: pool, containers: [container()] });
  const pod = byKind(synth(chart), 'Job').spec.template.spec;
  expect(pod.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-restriction.kubernetes.io/bulwark-pool', operator: 'In', values: ['payments'] }] }] } } });
});

describe('fails when', () => {
  test('a sensitive workload has no dedicated pool', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'ledger', { namespace: ns, sensitive: true, containers: [container()] });
    expect(synthError(chart)).toContain('[nodes/sensitive-on-dedicated-pool] sensitive workload not isolated: pods are labelled bulwark.dev/sensitive=true but have no required node affinity on node-restriction.kubernetes.io/bulwark-pool');
  });

  test('a workload of a namespace the pool does not allow is placed on it', () => {
    const { chart, other, pool } = setup();
    const w = new SecureWorkload(chart, 'intruder', { namespace: other, containers: [container()] });
    expect(() => pool.place(w)).toThrow('SecureWorkload "intruder": nodePool "payments" does not allow namespace "team-b" (allowed: team-a) (rule nodes/dedicated-pool-toleration). Add the namespace to DedicatedNodePool "payments"\'s allowedNamespaces, or run the workload elsewhere.');
  });

  test('a patch smuggles the pool toleration into a non-allowed namespace, and no waiver can lift it', () => {
    const { chart, other } = setup();
    const w = new SecureWorkload(chart, 'intruder', { namespace: other, containers: [container()] });
    w.resource.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]));
    expect(synthError(chart)).toContain('[nodes/dedicated-pool-toleration] dedicated pool not allowed: namespace "team-b" may not tolerate dedicated pool "payments" (allowed: team-a)');
    expect(() => Waiver.of('nodes/dedicated-pool-toleration', { reason: 'we would like to share the nodes' })).toThrow(/cannot be waived/);
  });

  test('a pool allows no namespace', () => {
    const { chart } = chartWithNamespace();
    expect(() => new DedicatedNodePool(chart, 'p', { allowedNamespaces: [] })).toThrow('DedicatedNodePool "p": allowedNamespaces [] is empty (rule nodes/dedicated-pool-toleration). Name the IsolatedNamespaces whose workloads run on this pool.');
  });

  test('a workload is placed on two pools', () => {
    const { chart, ns, pool } = setup();
    const second = new DedicatedNodePool(chart, 'other', { allowedNamespaces: [ns] });
    const w = new SecureWorkload(chart, 'w', { namespace: ns, containers: [container()] });
    pool.place(w);
    expect(() => second.place(w)).toThrow(/already runs on pool "payments"/);
  });
});

describe('the rule, on any YAML', () => {
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b', annotations: { 'bulwark.dev/dedicated-pool': 'payments' } }, spec: { matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a'] }] } } } };
  const pod = (ns: string, tolerations: unknown[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }], tolerations } });
  const hits = (o: any) => evaluate([o], { context: [binding], now: NOW }).filter((f) => f.ruleId === 'nodes/dedicated-pool-toleration').map((f) => f.reason);
  test.each([
    ['an allowed namespace tolerating its pool', pod('team-a', [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]), []],
    ['another namespace tolerating the pool', pod('team-b', [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'payments' }]), ['dedicated pool not allowed']],
    // Exists also tolerates pools declared elsewhere or later: refused even where every declared pool allows it.
    ['a toleration of every value of the key, in an allowed namespace', pod('team-a', [{ key: 'bulwark.dev/dedicated', operator: 'Exists' }]), ['tolerates every dedicated pool']],
    ['a toleration of every value of the key, elsewhere', pod('team-b', [{ key: 'bulwark.dev/dedicated', operator: 'Exists' }]), ['tolerates every dedicated pool']],
    ['a toleration of every taint, in an allowed namespace', pod('team-a', [{ operator: 'Exists' }]), ['tolerates every dedicated pool']],
    ['a toleration of every taint, elsewhere', pod('team-b', [{ operator: 'Exists' }]), ['tolerates every dedicated pool']],
    ['an undeclared pool', pod('team-a', [{ key: 'bulwark.dev/dedicated', operator: 'Equal', value: 'ghost' }]), ['unknown dedicated pool']],
    ['an unrelated toleration', pod('team-b', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]), []],
  ])('%s', (_what, o, expected) => {
    expect(hits(o)).toEqual(expected);
  });
});
