/**
 * ClusterGuardrails and the compiler behind it: what is rendered, from which rules, with which
 * clock and waiver variables. What the CEL decides is proven on the real API server
 * (tests/e2e/guardrails.e2e.ts), never by re-implementing CEL here.
 */
import {
  BulwarkChart, ClusterGuardrails, DedicatedNodePool, IsolatedNamespace, propagateWaivers, Waiver,
} from '../constructs';
import {
  ADMISSION_WAIVER_PREFIX, admissionWaiverKey, admissionWaiverProblems, CATALOG, CATALOG_BY_ID, CLOCK_CONFIGMAP, compileGuardrails,
  ENVIRONMENT_LABEL, evaluate, GUARDRAIL_RULE_ANNOTATION, guardrailName, guardrailRules, KubeObject, POD_CARRIERS, WAIVERS_ANNOTATION, writeAdmissionWaivers,
} from '../policy';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import '../policy/testing';
import { newApp, NOW, PINNED } from './helpers';

const GUARDRAILS = guardrailRules(CATALOG);
const settings = { trustedRegistries: ['registry.example.com'], pools: new Map([['payments', ['team-a']]]), allowedBindings: [] };

function render(props: ConstructorParameters<typeof ClusterGuardrails>[2] = {}): { objects: KubeObject[]; guardrails: ClusterGuardrails } {
  const app = newApp();
  const chart = new BulwarkChart(app, 'cluster');
  const ns = new IsolatedNamespace(chart, 'team-a');
  new DedicatedNodePool(chart, 'payments', { allowedNamespaces: [ns] });
  const guardrails = new ClusterGuardrails(chart, 'guardrails', props);
  const objects = app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
  return { objects, guardrails };
}

describe('the compiler', () => {
  const objects = compileGuardrails(GUARDRAILS, settings, { validationActions: ['Deny', 'Audit'], clockNamespace: 'bulwark-system' });
  const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
  const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');

  test('the guardrail rules are the ones the issue names, each with one policy and one binding', () => {
    expect(GUARDRAILS.map((r) => r.id).sort()).toEqual([
      'images/digest-pinned', 'images/trusted-registry', 'namespaces/no-default-namespace', 'namespaces/no-pod-security-downgrade',
      'network/no-external-ips', 'network/no-external-services', 'nodes/dedicated-pool-toleration', 'nodes/no-control-plane-nodes', 'rbac/no-catch-all-subjects',
      'rbac/no-privileged-bindings', 'rbac/no-system-role-bindings', 'workloads/service-account-token',
    ]);
    expect(policies.map((p) => p.metadata!.name)).toEqual(GUARDRAILS.map((r) => guardrailName(r.id)));
    expect(bindings.map((b) => b.spec.policyName)).toEqual(policies.map((p) => p.metadata!.name));
    for (const o of objects) expect(CATALOG_BY_ID.has(o.metadata!.annotations![GUARDRAIL_RULE_ANNOTATION])).toBe(true);
  });

  test('pod rules match Pods and every workload controller, and pick the pod spec per kind', () => {
    for (const id of ['images/digest-pinned', 'images/trusted-registry', 'workloads/service-account-token', 'nodes/dedicated-pool-toleration']) {
      const policy = policies.find((p) => p.metadata!.annotations![GUARDRAIL_RULE_ANNOTATION] === id)!;
      const resources = policy.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources);
      expect(resources).toEqual(expect.arrayContaining(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers']));
      expect(policy.spec.variables[0]).toEqual({ name: 'podSpec', expression: expect.stringContaining("object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec") });
    }
    expect(POD_CARRIERS.flatMap((r) => r.operations)).not.toContain('DELETE');
  });

  test('every message names its rule; waivable rules read the clock params, the others do not', () => {
    for (const p of policies) {
      const rule = CATALOG_BY_ID.get(p.metadata!.annotations![GUARDRAIL_RULE_ANNOTATION])!;
      for (const v of p.spec.validations) {
        expect(v.messageExpression).toContain(`(rule ${rule.id})`);
        expect(v.message).toContain(`(rule ${rule.id})`);
      }
      const binding = bindings.find((b) => b.metadata!.name === p.metadata!.name)!;
      expect([rule.id, p.spec.paramKind !== undefined, binding.spec.paramRef !== undefined]).toEqual([rule.id, rule.waivable, rule.waivable]);
      if (rule.waivable) {
        expect(binding.spec.paramRef).toEqual({ name: CLOCK_CONFIGMAP, namespace: 'bulwark-system', parameterNotFoundAction: 'Deny' });
        expect(p.spec.variables.find((v: any) => v.name === 'waiverValue').expression).toContain(admissionWaiverKey(rule.id));
      }
      expect(binding.spec.validationActions).toEqual(['Deny', 'Audit']);
    }
  });

  test('scopes: images in production namespaces, "default" alone, RBAC everywhere, the rest outside the system namespaces', () => {
    const selector = (id: string) => bindings.find((b) => b.metadata!.annotations![GUARDRAIL_RULE_ANNOTATION] === id)!.spec.matchResources.namespaceSelector;
    const notSystem = { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-public', 'kube-node-lease'] };
    expect(selector('images/digest-pinned')).toEqual({ matchLabels: { [ENVIRONMENT_LABEL]: 'production' }, matchExpressions: [notSystem] });
    expect(selector('namespaces/no-default-namespace')).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['default'] }] });
    expect(selector('rbac/no-privileged-bindings')).toEqual({});
    expect(selector('workloads/service-account-token')).toEqual({ matchExpressions: [notSystem] });
  });

  test('settings reach the CEL: trusted registries, known pools and the binding allow-list', () => {
    const compiled = compileGuardrails(GUARDRAILS, { ...settings, allowedBindings: ['kubeadm:cluster-admins'] }, { validationActions: ['Warn', 'Audit'], clockNamespace: 'ops' });
    const text = JSON.stringify(compiled);
    expect(text).toContain('registry\\\\.example\\\\.com');
    expect(text).toContain("['payments']");
    expect(text).toContain("['kubeadm:cluster-admins']");
    expect(compiled.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').every((b) => b.spec.validationActions.join() === 'Warn,Audit')).toBe(true);
  });
});

describe('ClusterGuardrails', () => {
  test('renders the clock (dated at synth), then each policy before its binding, and passes every rule', () => {
    const { objects } = render();
    const clock = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === CLOCK_CONFIGMAP)!;
    expect(clock).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLOCK_CONFIGMAP, namespace: 'bulwark-system' }, data: { today: NOW.toISOString().slice(0, 10) } });
    const names = objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    for (const rule of GUARDRAILS) {
      const name = guardrailName(rule.id);
      expect(names.indexOf(`ValidatingAdmissionPolicy/${name}`)).toBeLessThan(names.indexOf(`ValidatingAdmissionPolicyBinding/${name}`));
      expect(names.indexOf(`ConfigMap/${CLOCK_CONFIGMAP}`)).toBeLessThan(names.indexOf(`ValidatingAdmissionPolicyBinding/${name}`));
    }
    expect(objects).toHaveNoFindings({ now: NOW });
  });

  test('reads the App\'s dedicated pools at synth, declared before or after it', () => {
    const app = newApp();
    const chart = new BulwarkChart(app, 'cluster');
    new ClusterGuardrails(chart, 'guardrails');
    const ns = new IsolatedNamespace(chart, 'team-a');
    new DedicatedNodePool(chart, 'gpu', { allowedNamespaces: [ns] });
    const policy = app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json)).find((o) => o.metadata?.name === guardrailName('nodes/dedicated-pool-toleration'))!;
    expect(JSON.stringify(policy.spec.validations)).toContain("['gpu']");
  });

  test('"warn" rolls out with [Warn, Audit]; the default enforces with [Deny, Audit]; anything else is refused', () => {
    const binding = (objects: KubeObject[]) => objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata?.name === guardrailName('images/digest-pinned'))!;
    expect(binding(render().objects).spec.validationActions).toEqual(['Deny', 'Audit']);
    expect(binding(render({ mode: 'warn' }).objects).spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(() => render({ mode: 'audit' as any })).toThrow(/mode/);
    expect(() => render({ allowedBindings: ['a/b/c'] })).toThrow(/allowedBindings/);
  });

  test('trusts the App\'s registries unless told otherwise', () => {
    const { guardrails } = render();
    expect(guardrails.settings().trustedRegistries).toEqual(['registry.example.com']);
    expect(render({ trustedRegistries: ['registry.example.com/team'] }).guardrails.settings().trustedRegistries).toEqual(['registry.example.com/team']);
  });
});

describe('the CEL-readable waiver form', () => {
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'team-a' }, spec: {} };
  const waiver = { rule: 'workloads/service-account-token', reason: 'the vendor image needs the API for leader election', expires: '2027-06-30' };
  const annotate = (annotations: Record<string, string>): KubeObject => ({ ...deployment, metadata: { ...deployment.metadata, annotations } });

  test('one annotation per guardrail rule, entries sorted, containers named, no expiry is "never"', () => {
    expect(writeAdmissionWaivers([
      waiver,
      { rule: 'images/digest-pinned', reason: waiver.reason, container: 'side' },
      { rule: 'images/digest-pinned', reason: waiver.reason, expires: '2027-01-31' },
      { rule: 'workloads/probes', reason: waiver.reason },
    ], CATALOG_BY_ID)).toEqual({
      [`${ADMISSION_WAIVER_PREFIX}images.digest-pinned`]: '2027-01-31 side=never',
      [`${ADMISSION_WAIVER_PREFIX}workloads.service-account-token`]: '2027-06-30',
    });
  });

  test('the forms must agree: a missing, different or stray CEL form is a problem', () => {
    const json = JSON.stringify([waiver]);
    const key = admissionWaiverKey(waiver.rule);
    expect(admissionWaiverProblems(annotate({ [WAIVERS_ANNOTATION]: json, [key]: '2027-06-30' }), [waiver], CATALOG_BY_ID)).toEqual([]);
    expect(admissionWaiverProblems(annotate({ [WAIVERS_ANNOTATION]: json }), [waiver], CATALOG_BY_ID).map((p) => p.problem)).toEqual([expect.stringContaining('no CEL-readable form')]);
    expect(admissionWaiverProblems(annotate({ [WAIVERS_ANNOTATION]: json, [key]: 'never' }), [waiver], CATALOG_BY_ID).map((p) => p.problem)).toEqual([expect.stringContaining('says "2027-06-30"')]);
    expect(admissionWaiverProblems(annotate({ [key]: 'never' }), [], CATALOG_BY_ID).map((p) => p.problem)).toEqual([expect.stringContaining('does not')]);
    expect(admissionWaiverProblems(annotate({ [`${ADMISSION_WAIVER_PREFIX}workloads.probes`]: 'never' }), [], CATALOG_BY_ID).map((p) => p.rule)).toEqual(['workloads/probes']);
  });

  test('the engine honours a guardrail rule\'s waiver only when both forms agree, and says why not', () => {
    const [fixture, ...context] = parseAllDocuments(fs.readFileSync(path.join(__dirname, 'fixtures/workloads/service-account-token/fail/0.yaml'), 'utf8')).map((d) => d.toJSON());
    const withAnnotations = (a: Record<string, string>) => ({ ...fixture, metadata: { ...fixture.metadata, annotations: a } });
    const json = JSON.stringify([waiver]);
    const ids = (o: KubeObject) => evaluate([o], { now: NOW, context, trustedRegistries: ['registry.example.com'] }).map((f) => `${f.ruleId}${f.waiver ? ' (waived)' : ''}`);
    expect(ids(withAnnotations({ [WAIVERS_ANNOTATION]: json, [admissionWaiverKey(waiver.rule)]: '2027-06-30' }))).toEqual(['workloads/service-account-token (waived)']);
    expect(ids(withAnnotations({ [WAIVERS_ANNOTATION]: json }))).toEqual(['workloads/service-account-token', 'waivers/valid-waiver']);
    expect(ids(withAnnotations({ [admissionWaiverKey(waiver.rule)]: '2027-06-30' }))).toEqual(['workloads/service-account-token', 'waivers/valid-waiver']);
  });

  test('BulwarkApp copies both forms onto the templates a controller makes Pods and Jobs from', () => {
    const json = propagateWaivers({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'raw', namespace: 'team-a', annotations: { [WAIVERS_ANNOTATION]: JSON.stringify([waiver]), [admissionWaiverKey(waiver.rule)]: '2027-06-30', other: 'kept out' } },
      spec: { template: { spec: { containers: [{ name: 'a', image: PINNED.reference }] } } },
    });
    expect(json.spec.template.metadata.annotations).toEqual({ [WAIVERS_ANNOTATION]: JSON.stringify([waiver]), [admissionWaiverKey(waiver.rule)]: '2027-06-30' });
    const cron = propagateWaivers({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { annotations: { [admissionWaiverKey(waiver.rule)]: 'never' } }, spec: { jobTemplate: { spec: { template: { metadata: { annotations: { a: 'b' } }, spec: {} } } } } });
    expect(cron.spec.jobTemplate.metadata.annotations).toEqual({ [admissionWaiverKey(waiver.rule)]: 'never' });
    expect(cron.spec.jobTemplate.spec.template.metadata.annotations).toEqual({ a: 'b', [admissionWaiverKey(waiver.rule)]: 'never' });
    expect(propagateWaivers({ kind: 'Service', metadata: { annotations: { [WAIVERS_ANNOTATION]: '[]' } } })).toEqual({ kind: 'Service', metadata: { annotations: { [WAIVERS_ANNOTATION]: '[]' } } });
  });

  test('a guardrail-rule Waiver attached by a construct carries the CEL form, in the object and its pods', () => {
    const app = newApp();
    const chart = new BulwarkChart(app, 'team');
    const ns = new IsolatedNamespace(chart, 'team-a', {
      quota: { 'services.loadbalancers': '1' },
      waivers: [Waiver.of('network/no-external-services', { reason: 'the team terminates partner TLS at its edge', expires: '2027-03-31' })],
    });
    const objects = app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
    const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns.name)!;
    expect(namespace.metadata!.labels!['bulwark.dev/allow-external-services']).toBe('true');
    expect(namespace.metadata!.annotations![admissionWaiverKey('network/no-external-services')]).toBe('2027-03-31');
    expect(evaluate(objects, { now: NOW, trustedRegistries: ['registry.example.com'] }).filter((f) => !f.waiver)).toEqual([]);
  });
});

describe('namespaces/no-pod-security-downgrade', () => {
  const ns = (labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels } });
  const levels = (enforce: string, audit = 'restricted', warn = 'restricted', version = 'v1.36') => ns({
    'pod-security.kubernetes.io/enforce': enforce, 'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': audit, 'pod-security.kubernetes.io/warn': warn,
  });
  const downgrades = (now: KubeObject, before?: KubeObject) => evaluate([now], { now: NOW, context: before ? [before] : [], packs: ['bulwark-recommended'] })
    .filter((f) => f.ruleId === 'namespaces/no-pod-security-downgrade').map((f) => f.path);

  test('lowering any mode\'s level, or the enforce-version at the same level, is a finding', () => {
    expect(downgrades(levels('baseline'), levels('restricted'))).toEqual(['metadata.labels["pod-security.kubernetes.io/enforce"]']);
    expect(downgrades(levels('restricted', 'privileged', 'baseline'), levels('restricted'))).toEqual([
      'metadata.labels["pod-security.kubernetes.io/audit"]', 'metadata.labels["pod-security.kubernetes.io/warn"]',
    ]);
    expect(downgrades(ns({}), levels('restricted'))).toHaveLength(3);
    expect(downgrades(levels('restricted', 'restricted', 'restricted', 'v1.35'), levels('restricted'))).toEqual(['metadata.labels["pod-security.kubernetes.io/enforce-version"]']);
  });

  test('raising, keeping, adopting an unlabelled namespace, and synth (no current state) are not', () => {
    expect(downgrades(levels('restricted'), levels('baseline', 'baseline', 'baseline', 'latest'))).toEqual([]);
    expect(downgrades(levels('restricted'), ns({}))).toEqual([]);
    expect(downgrades(levels('restricted', 'restricted', 'restricted', 'v1.37'), levels('restricted'))).toEqual([]);
    expect(downgrades(levels('baseline'))).toEqual([]);
  });
});
