import { buildApp } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('the worker accepts no connection and reaches only DNS and the queue', () => {
  const all = objects();
  expect(all.filter((o) => o.kind === 'Service')).toEqual([]);
  const policy = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === '{{name}}')!;
  expect(policy.spec.ingress ?? []).toEqual([]);
  expect(JSON.stringify(policy.spec.egress)).toContain('10.20.0.0/16');
});
