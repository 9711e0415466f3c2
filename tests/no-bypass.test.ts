/**
 * No way around the guardrails: every object of the App is checked, whatever chart or construct
 * made it, with the whole App as context; no public prop moves the clock; each object is rendered
 * once. Each test here would fail if its class of hole reopened.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Lazy, Testing, YamlOutputType } from 'cdk8s';
import { BulwarkApp, BulwarkChart, Image, IsolatedNamespace, SecureWorkload, Waiver } from '../constructs';
import { chartWithNamespace, container, newApp, synth } from './helpers';

const PRIVILEGED_POD = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-shell', namespace: 'team-a' },
  spec: { hostPID: true, containers: [{ name: 'c', image: 'registry.example.com/team/x@sha256:' + 'ab'.repeat(32), securityContext: { privileged: true } }] },
};

/** The message App.synth() throws, or a failure when it writes the manifests instead. */
function synthAppError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected synth of the App to fail, but it wrote ${fs.readdirSync(app.outdir).join(', ')}`);
}

function compliantApp(): { app: BulwarkApp; chart: BulwarkChart; ns: IsolatedNamespace } {
  const app = newApp();
  const chart = new BulwarkChart(app, 'team');
  const ns = new IsolatedNamespace(chart, 'team-a');
  new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
  return { app, chart, ns };
}

describe('every object in the App is checked', () => {
  test('the compliant App synthesizes', () => {
    const { app } = compliantApp();
    app.synth();
    expect(fs.readdirSync(app.outdir)).toEqual(['team.k8s.yaml']);
  });

  test('a privileged Pod in a plain cdk8s Chart beside a BulwarkChart fails synth', () => {
    const { app } = compliantApp();
    new ApiObject(new Chart(app, 'sneaky'), 'pod', PRIVILEGED_POD);
    const err = synthAppError(app);
    expect(err).toContain('Pod team-a/root-shell (construct sneaky/pod)');
    expect(err).toContain('[pod-security/privileged]');
    expect(err).toContain('[pod-security/host-namespaces]');
    expect(fs.existsSync(path.join(app.outdir, 'sneaky.k8s.yaml'))).toBe(false);
  });

  test('a ClusterRoleBinding to cluster-admin in a plain Chart fails synth', () => {
    const { app } = compliantApp();
    new ApiObject(new Chart(app, 'rbac'), 'crb', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'me-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'team-a' }],
    });
    expect(synthAppError(app)).toContain('[rbac/no-privileged-bindings]');
  });

  test('a second Namespace with the name of an IsolatedNamespace is refused, naming both construct paths', () => {
    const { app } = compliantApp();
    new ApiObject(new Chart(app, 'other'), 'ns', {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
    });
    const err = synthAppError(app);
    expect(err).toContain('two objects are Namespace team-a: "team/team-a/Resource" and "other/ns"');
  });

  test('a namespace-less object collides with the same object in "default"', () => {
    const app = newApp();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const cm = (ns?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', ...(ns ? { namespace: ns } : {}) } });
    new ApiObject(a, 'cm', cm('default'));
    new ApiObject(b, 'cm', cm());
    expect(synthAppError(app)).toContain('two objects are ConfigMap default/cfg: "a/cm" and "b/cm"');
  });

  test('objects in a plain Chart are checked with the whole App as context', () => {
    // A pod in a plain chart, in the IsolatedNamespace of a BulwarkChart: the default-deny policy
    // of that namespace (in the other chart) covers it, so the network rule does not fire.
    const { app } = compliantApp();
    const plain = new Chart(app, 'plain');
    new ApiObject(plain, 'pod', { ...PRIVILEGED_POD, spec: { containers: [{ name: 'c', image: PRIVILEGED_POD.spec.containers[0].image }] } });
    const err = synthAppError(app);
    expect(err).not.toContain('[network/pod-has-network-policy]');
    expect(err).toContain('[pod-security/run-as-non-root]');
  });

  test('the items of a List object are checked', () => {
    const { app } = compliantApp();
    new ApiObject(new Chart(app, 'list'), 'items', { apiVersion: 'v1', kind: 'List', items: [PRIVILEGED_POD] });
    expect(synthAppError(app)).toContain('[pod-security/privileged]');
  });

  test('YAML brought in with Include is checked', () => {
    const { app } = compliantApp();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-include-')), 'pod.yaml');
    fs.writeFileSync(file, JSON.stringify(PRIVILEGED_POD));
    new Include(new Chart(app, 'vendor'), 'pod', { url: file });
    expect(synthAppError(app)).toContain('[pod-security/privileged]');
  });

  test('a JSON patch on an object of another chart is checked', () => {
    const { app, chart } = compliantApp();
    const d = chart.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Deployment')!;
    d.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    expect(synthAppError(app)).toContain('[pod-security/host-namespaces]');
  });

  test.each(Object.values(YamlOutputType).filter((v) => typeof v === 'number') as YamlOutputType[])('every output type (%s) is checked', (type) => {
    const app = newApp({ yamlOutputType: type });
    const chart = new BulwarkChart(app, 'team');
    new IsolatedNamespace(chart, 'team-a');
    new ApiObject(new Chart(app, 'sneaky'), 'pod', PRIVILEGED_POD);
    expect(synthAppError(app)).toContain('[pod-security/privileged]');
  });

  test('synthYaml, chart.toJson() of a plain chart and synthesizeCharts (the Pulumi path) check the whole App too', () => {
    const { app } = compliantApp();
    const sneaky = new Chart(app, 'sneaky');
    new ApiObject(sneaky, 'pod', PRIVILEGED_POD);
    expect(() => app.synthYaml()).toThrow(/pod-security\/privileged/);
    expect(() => sneaky.toJson()).toThrow(/pod-security\/privileged/);
    expect(() => app.synthesizeCharts()).toThrow(/pod-security\/privileged/);
  });

  test('a BulwarkChart outside a BulwarkApp is refused with the fix', () => {
    expect(() => new BulwarkChart(Testing.app(), 'x')).toThrow('BulwarkChart "x" must be created in a BulwarkApp, which checks every object of the App at synth. Replace "new App(...)" (or Testing.app()) with "new BulwarkApp(...)".');
  });

  test('charts that target different minors in one App are refused', () => {
    const app = newApp();
    new BulwarkChart(app, 'a', { kubernetesVersion: '1.36' });
    new BulwarkChart(app, 'b', { kubernetesVersion: '1.37' });
    expect(synthAppError(app)).toContain('BulwarkChart "b" targets Kubernetes 1.37 but BulwarkChart "a" targets 1.36: one App is one cluster.');
  });

  test('in production, images of objects outside any BulwarkChart must come from the App\'s registries', () => {
    const app = new BulwarkApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-test-')) });
    const pod = { ...PRIVILEGED_POD, spec: { containers: [{ name: 'c', image: 'evil.example.net/x@sha256:' + 'ab'.repeat(32) }] } };
    new ApiObject(new Chart(app, 'plain'), 'pod', pod);
    expect(app.findings().filter((f) => f.ruleId === 'images/trusted-registry').map((f) => f.object.name)).toEqual(['root-shell']);
  });
});

describe('no public prop moves the clock', () => {
  test('BulwarkChart has no clock: a "now" in the past neither revives an end-of-life minor nor an expired waiver', () => {
    // The prop does not exist in the types; a stack that forces it in is ignored.
    const props = { now: new Date('2023-01-01T00:00:00Z'), kubernetesVersion: '1.30' } as any;
    expect(() => new BulwarkChart(newApp(), 'old', props)).toThrow(/kubernetesVersion "1.30" is past end of life/);
    const { chart, ns } = chartWithNamespace({ now: new Date('2023-01-01T00:00:00Z') } as any);
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    w.resource.metadata.addAnnotation('bulwark.dev/waivers', JSON.stringify([{ rule: 'workloads/probes', reason: 'expired long ago but we would like it back', expires: '2024-01-01' }]));
    expect(() => synth(chart)).toThrow(/\[waivers\/valid-waiver\] invalid waiver: waiver for "workloads\/probes": expired on 2024-01-01/);
  });

  test('Waiver.of takes no clock', () => {
    expect(() => (Waiver.of as any)('workloads/probes', { reason: 'batch consumer exposes no endpoint', expires: '2024-01-01' }, new Date('2023-01-01'))).toThrow(/expired on 2024-01-01/);
    expect(Waiver.of.length).toBe(2);
  });

  test('a BulwarkApp refuses an end-of-life minor', () => {
    expect(() => new BulwarkApp({ kubernetesVersion: '1.33' })).toThrow(/BulwarkApp: kubernetesVersion "1.33" is past end of life \(end of life since 2026-06-28\)/);
  });
});

describe('scale: validation renders each object once', () => {
  test('app.synth() calls toJson() once per object, however many charts there are', () => {
    const app = newApp();
    for (let i = 0; i < 5; i++) {
      const chart = new BulwarkChart(app, `team-${i}`);
      const ns = new IsolatedNamespace(chart, `team-${i}`);
      for (let j = 0; j < 3; j++) new SecureWorkload(chart, `w${j}`, { namespace: ns, containers: [container()], replicas: 2 });
      new ApiObject(new Chart(app, `plain-${i}`), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: `team-${i}` } });
    }
    const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      app.synth();
      expect(spy).toHaveBeenCalledTimes(objects);
    } finally {
      spy.mockRestore();
    }
    expect(objects).toBeGreaterThan(5 * 10);
  });

  test('constructing a SecureWorkload renders nothing: its early image check reads the spec it builds', () => {
    const { chart, ns } = chartWithNamespace();
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      for (let j = 0; j < 3; j++) new SecureWorkload(chart, `w${j}`, { namespace: ns, containers: [container()], replicas: 2 });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    // The early check still refuses, at the prop, what the engine's image rules refuse.
    expect(() => new SecureWorkload(chart, 'tagged', { namespace: ns, containers: [container({ image: Image.tagged('registry.example.com/team/app', '1.0') })] }))
      .toThrow(/SecureWorkload "tagged": container "app" image "registry\.example\.com\/team\/app:1\.0" .*images\/digest-pinned/);
  });
});

describe('a chart is never laxer than its App', () => {
  test('a development chart in a production App is refused', () => {
    expect(() => new BulwarkChart(newApp(), 'dev', { environment: 'development' }))
      .toThrow('BulwarkChart "dev": environment "development" is laxer than its BulwarkApp, which is "production" (rule images/digest-pinned).');
  });

  test('a chart cannot trust a registry its App does not', () => {
    expect(() => new BulwarkChart(newApp({ trustedRegistries: ['registry.example.com/team'] }), 'c', { trustedRegistries: ['registry.example.com/team/api', 'evil.example.net'] }))
      .toThrow('BulwarkChart "c": trustedRegistries ["evil.example.net"] widens the BulwarkApp\'s list (registry.example.com/team) (rule images/trusted-registry).');
    expect(() => new BulwarkChart(newApp({ trustedRegistries: ['registry.example.com/team'] }), 'd', { trustedRegistries: ['registry.example.com/teamx'] })).toThrow(/widens/);
    expect(new BulwarkChart(newApp({ trustedRegistries: ['registry.example.com/team'] }), 'e', { trustedRegistries: ['registry.example.com/team/api'] }).trustedRegistries).toEqual(['registry.example.com/team/api']);
  });

  test('a production chart without any trusted registry is refused', () => {
    const app = new BulwarkApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-test-')) });
    expect(() => new BulwarkChart(app, 'c')).toThrow('BulwarkChart "c": trustedRegistries (unset) must list at least one registry in production (rule images/trusted-registry).');
  });

  test('what is written is what was checked, even when a value changes each time it is rendered', () => {
    const { app } = compliantApp();
    let renders = 0;
    new ApiObject(new Chart(app, 'flip'), 'pod', {
      ...PRIVILEGED_POD,
      spec: Lazy.any({ produce: () => (renders++ === 0 ? { containers: [] } : PRIVILEGED_POD.spec) }),
    });
    let error = '';
    try { app.synth(); } catch (e) { error = (e as Error).message; }
    const written = fs.existsSync(path.join(app.outdir, 'flip.k8s.yaml')) ? fs.readFileSync(path.join(app.outdir, 'flip.k8s.yaml'), 'utf8') : '';
    expect(written).not.toContain('privileged');
    expect(renders).toBe(1);
    expect(error === '' || /\[/.test(error)).toBe(true);
  });
});

describe('red-team regressions: what kubectl applies is what was checked', () => {
  test('an object with items is a list whatever its kind: its items are checked, kind inherited from a *List', () => {
    const { app } = compliantApp();
    const hardened = { containers: [{ name: 'c', image: PRIVILEGED_POD.spec.containers[0].image }] };
    new ApiObject(new Chart(app, 'carrier'), 'carrier', { ...PRIVILEGED_POD, metadata: { name: 'carrier', namespace: 'team-a' }, spec: hardened, items: [PRIVILEGED_POD] });
    expect(synthAppError(app)).toContain('Pod team-a/root-shell');
    const second = compliantApp();
    new ApiObject(new Chart(second.app, 'list'), 'list', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBindingList',
      items: [{ metadata: { name: 'everyone-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }],
    });
    expect(synthAppError(second.app)).toMatch(/ClusterRoleBinding everyone-admin[\s\S]*\[rbac\/no-privileged-bindings\]/);
  });

  test('one file per resource names the namespace, and a file two objects would share is refused', () => {
    const app = newApp({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const chart = new BulwarkChart(app, 'team');
    new IsolatedNamespace(chart, 'team-a');
    new IsolatedNamespace(chart, 'team-b');
    app.synth();
    expect(fs.readdirSync(app.outdir).filter((f) => f.startsWith('NetworkPolicy.') && f.includes('default-deny')).sort())
      .toEqual(['NetworkPolicy.team-a.default-deny.k8s.yaml', 'NetworkPolicy.team-b.default-deny.k8s.yaml']);
    const clash = newApp();
    new Chart(clash, 'payments-c8fc17ad');
    new Chart(clash, 'Payments');
    for (const c of clash.charts) new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${c.node.id.toLowerCase()}`, namespace: 'team-a' } });
    expect(() => clash.synth()).toThrow(/would both be written to .*payments-c8fc17ad\.k8s\.yaml/);
  });

  test('a value that reads differently the second time (a getter) is written as it was checked', () => {
    const { app } = compliantApp();
    let reads = 0;
    class Sneaky extends ApiObject {
      public override toJson(): any {
        const json = super.toJson();
        Object.defineProperty(json.spec, 'hostNetwork', { enumerable: true, get: () => (reads++ === 0 ? false : true) });
        return json;
      }
    }
    new Sneaky(new Chart(app, 'sneaky'), 'pod', { ...PRIVILEGED_POD, spec: { containers: [{ name: 'c', image: PRIVILEGED_POD.spec.containers[0].image }] } });
    try { app.synth(); } catch { /* findings of other rules are fine here */ }
    const file = path.join(app.outdir, 'sneaky.k8s.yaml');
    if (fs.existsSync(file)) expect(fs.readFileSync(file, 'utf8')).not.toMatch(/hostNetwork: true/);
    expect(reads).toBe(1);
  });

  test('BulwarkChart.toJson returns the checked render, rendered once', () => {
    const { chart } = compliantApp();
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const objects = chart.toJson();
      expect(spy.mock.calls.length).toBe(objects.length);
    } finally {
      spy.mockRestore();
    }
  });
});
