import { buildApp, DATA_SIZE } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('every replica keeps its own volume behind a headless Service', () => {
  const all = objects();
  const set = all.find((o) => o.kind === 'StatefulSet')!;
  expect(set.spec.volumeClaimTemplates.map((c: any) => c.spec.resources.requests.storage)).toEqual([DATA_SIZE]);
  const service = all.find((o) => o.kind === 'Service')!;
  expect(service.spec.clusterIP).toBe('None');
});
