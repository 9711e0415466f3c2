import { buildApp, DEADLINE_SECONDS, SCHEDULE, TIME_ZONE } from '../src/app';

const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('runs on schedule in its time zone, never overlapping, within its deadline', () => {
  const cron = objects().find((o) => o.kind === 'CronJob')!;
  expect(cron.spec).toMatchObject({ schedule: SCHEDULE, timeZone: TIME_ZONE, concurrencyPolicy: 'Forbid' });
  expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(DEADLINE_SECONDS);
});
