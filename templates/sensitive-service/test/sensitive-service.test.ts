import { buildApp } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('the service runs only on its pool, and other namespaces are refused the pool at admission', () => {
  const all = objects();
  const pod = all.find((o) => o.kind === 'Deployment')!.spec.template.spec;
  expect(pod.tolerations).toEqual([expect.objectContaining({ key: 'bulwark.dev/dedicated', value: '{{name}}', effect: 'NoSchedule' })]);
  expect(JSON.stringify(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution))
    .toContain('node-restriction.kubernetes.io/bulwark-pool');
  expect(all.some((o) => o.kind === 'ValidatingAdmissionPolicy')).toBe(true);
});
