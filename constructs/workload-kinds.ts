/**
 * The spec of each workload kind around one rendered pod template. Each kind is a small pure
 * function; SecureWorkload picks one and never patches its output afterwards.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** API group/version of each kind. */
export const API_VERSION: Record<WorkloadKind, string> = {
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1',
};

/** Where each kind keeps its pod template, as a JSON path (for messages and JSON-patch users). */
export const POD_TEMPLATE_PATH: Record<WorkloadKind, string> = {
  Deployment: 'spec.template', StatefulSet: 'spec.template', DaemonSet: 'spec.template', Job: 'spec.template', CronJob: 'spec.jobTemplate.spec.template',
};

/** Options of run-to-completion workloads (Job, and each run of a CronJob). */
export interface JobOptions {
  /** Retries before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /** Seconds a run may take before it is stopped. @default - no limit */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job (and its pods) is kept for inspection. @default 86400 - one day, then deleted */
  readonly ttlSecondsAfterFinished?: number;
}

/** Options of a CronJob's schedule. */
export interface CronJobOptions extends JobOptions {
  /** IANA time zone of the schedule, e.g. "Europe/Berlin". @default - the controller manager's, usually UTC */
  readonly timeZone?: string;
  /** @default "Forbid" - a slow run never overlaps the next one */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Seconds after the scheduled time a missed run may still start. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 1 */
  readonly failedJobsHistoryLimit?: number;
  /** @default false */
  readonly suspend?: boolean;
}

export interface KindInputs {
  readonly selector: Readonly<Record<string, string>>;
  readonly template: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  /** Fixed replicas; undefined when an autoscaler owns the count. */
  readonly replicas?: number;
  /** StatefulSet: its headless Service and claim templates. */
  readonly serviceName?: string;
  readonly volumeClaimTemplates?: ReadonlyArray<Record<string, unknown>>;
  readonly schedule?: string;
  readonly job?: JobOptions;
  readonly cron?: CronJobOptions;
}

function jobSpec(i: KindInputs): Record<string, unknown> {
  const j = { ...i.cron, ...i.job };
  return {
    ...(j.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: j.activeDeadlineSeconds } : {}),
    backoffLimit: j.backoffLimit ?? 3,
    template: i.template,
    ttlSecondsAfterFinished: j.ttlSecondsAfterFinished ?? 86400,
  };
}

/** The spec of `kind` around the pod template. */
export function renderKindSpec(kind: WorkloadKind, i: KindInputs): Record<string, unknown> {
  const selector = { matchLabels: { ...i.selector } };
  const replicas = i.replicas === undefined ? {} : { replicas: i.replicas };
  switch (kind) {
    case 'Deployment':
      return {
        minReadySeconds: 0, progressDeadlineSeconds: 600, ...replicas, selector,
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: i.template,
      };
    case 'StatefulSet':
      return {
        minReadySeconds: 0, podManagementPolicy: 'OrderedReady', ...replicas, selector, serviceName: i.serviceName,
        template: i.template,
        updateStrategy: { type: 'RollingUpdate' },
        ...(i.volumeClaimTemplates && i.volumeClaimTemplates.length > 0 ? { volumeClaimTemplates: i.volumeClaimTemplates.map((t) => ({ ...t })) } : {}),
      };
    case 'DaemonSet':
      return {
        minReadySeconds: 0, selector, template: i.template,
        updateStrategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
      };
    case 'Job':
      return jobSpec(i);
    case 'CronJob': {
      const c = i.cron ?? {};
      return {
        concurrencyPolicy: c.concurrencyPolicy ?? 'Forbid',
        failedJobsHistoryLimit: c.failedJobsHistoryLimit ?? 1,
        jobTemplate: { spec: jobSpec(i) },
        schedule: i.schedule,
        startingDeadlineSeconds: c.startingDeadlineSeconds ?? 300,
        successfulJobsHistoryLimit: c.successfulJobsHistoryLimit ?? 3,
        suspend: c.suspend ?? false,
        ...(c.timeZone ? { timeZone: c.timeZone } : {}),
      };
    }
  }
}
