import { buildApp } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('the service is published over TLS only, and only the ingress controller may reach its pods', () => {
  const all = objects();
  const ingress = all.find((o) => o.kind === 'Ingress')!;
  expect(ingress.spec.tls).toEqual([{ hosts: ['{{host}}'], secretName: '{{name}}-tls' }]);
  const policy = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === '{{name}}')!;
  expect(JSON.stringify(policy.spec.ingress)).toContain('ingress-nginx');
});
