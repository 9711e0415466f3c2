/** Settings set once on the App reach every chart and object below it: version, profile, registries, resources, labels. */
import { BulwarkChart, IsolatedNamespace, SecureWorkload } from '../constructs';
import { container, newApp, synth } from './helpers';

test('App labels reach every object of every chart; a chart adds its own on top', () => {
  const app = newApp({ labels: { 'example.com/cost-centre': 'cc-42' } });
  const chart = new BulwarkChart(app, 'team', { labels: { 'example.com/team': 'a' } });
  const ns = new IsolatedNamespace(chart, 'team-a');
  new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
  const objects = synth(chart);
  expect(objects.length).toBeGreaterThan(5);
  for (const o of objects) expect(o.metadata?.labels).toMatchObject({ 'example.com/cost-centre': 'cc-42', 'example.com/team': 'a' });
  // Bulwark's own labels are never replaced by inherited ones.
  expect(objects.find((o) => o.kind === 'Namespace')!.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
});

test.each([
  ['pod-security.kubernetes.io/enforce', 'privileged'],
  ['app.kubernetes.io/name', 'other'],
  ['bulwark.dev/sensitive', 'false'],
])('a label Bulwark or Kubernetes owns (%s) cannot be set for many objects at once', (key, value) => {
  expect(() => newApp({ labels: { [key]: value } })).toThrow(`BulwarkApp: labels key "${key}" is one Bulwark or Kubernetes owns`);
  expect(() => new BulwarkChart(newApp(), 'c', { labels: { [key]: value } })).toThrow(`BulwarkChart "c": labels key "${key}" is one Bulwark or Kubernetes owns`);
});

test('default resources come from the App, a chart overrides key by key, a container overrides all', () => {
  const app = newApp({ defaultResources: { cpu: { request: '100m', limit: '100m' }, memory: { request: '128Mi', limit: '128Mi' } } });
  const chart = new BulwarkChart(app, 'team', { defaultResources: { memory: { request: '512Mi', limit: '512Mi' } } });
  const ns = new IsolatedNamespace(chart, 'team-a');
  new SecureWorkload(chart, 'a', { namespace: ns, containers: [container()] });
  new SecureWorkload(chart, 'b', { namespace: ns, containers: [container({ resources: { cpu: { request: '2', limit: '2' } } })] });
  const [a, b] = synth(chart).filter((o) => o.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0].resources);
  expect(a).toEqual({ limits: { cpu: '100m', 'ephemeral-storage': '256Mi', memory: '512Mi' }, requests: { cpu: '100m', 'ephemeral-storage': '256Mi', memory: '512Mi' } });
  expect(b.limits.cpu).toBe('2');
  expect(b.limits.memory).toBe('512Mi');
});

test('version, profile and registries set on the App are what the charts use', () => {
  const app = newApp({ kubernetesVersion: '1.37', environment: 'development', trustedRegistries: ['registry.example.com/x'] });
  const chart = new BulwarkChart(app, 'c');
  expect([chart.kubernetesVersion, chart.environment, chart.trustedRegistries]).toEqual(['1.37', 'development', ['registry.example.com/x']]);
});
