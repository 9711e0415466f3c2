import { buildApp } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('the team gets a restricted namespace and rights in it only; the guardrails are admission policies', () => {
  const all = objects();
  const ns = all.find((o) => o.kind === 'Namespace' && o.metadata?.name === '{{namespace}}')!;
  expect(ns.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  const teamBindings = all.filter((o) => /Binding$/.test(o.kind) && JSON.stringify(o.subjects ?? []).includes('oidc:{{namespace}}'));
  expect(teamBindings.map((b) => `${b.kind} ${b.metadata?.namespace}`)).toEqual(['RoleBinding {{namespace}}']);
  expect(all.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length).toBeGreaterThan(1);
});
