import { Construct } from 'constructs';
import { SecureWorkload, SecureWorkloadProps } from './secure-workload';

/** Props of a kind-specific workload: everything but `kind`, and only what applies to it. */
export type SecureDeploymentProps = Omit<SecureWorkloadProps, 'kind' | 'schedule' | 'job' | 'cronJob'>;
export type SecureStatefulSetProps = Omit<SecureWorkloadProps, 'kind' | 'schedule' | 'job' | 'cronJob' | 'expose'>;
export type SecureDaemonSetProps = Omit<SecureWorkloadProps, 'kind' | 'schedule' | 'job' | 'cronJob' | 'replicas' | 'autoscaling'>;
export type SecureJobProps = Omit<SecureWorkloadProps, 'kind' | 'schedule' | 'cronJob' | 'replicas' | 'autoscaling' | 'expose' | 'servicePorts'>;
export type SecureCronJobProps = Omit<SecureWorkloadProps, 'kind' | 'replicas' | 'autoscaling' | 'expose' | 'servicePorts'> & { readonly schedule: string };

/** A Deployment: long-running, replicated, optionally autoscaled and exposed. */
export class SecureDeployment extends SecureWorkload {
  constructor(scope: Construct, id: string, props: SecureDeploymentProps) { super(scope, id, { ...props, kind: 'Deployment' }); }
}

/** A StatefulSet: stable identities behind a headless Service, one volume claim per replica. */
export class SecureStatefulSet extends SecureWorkload {
  constructor(scope: Construct, id: string, props: SecureStatefulSetProps) { super(scope, id, { ...props, kind: 'StatefulSet' }); }
}

/**
 * A DaemonSet: one pod per node, hardened like every other workload. Host access is not in the
 * props: a node agent that needs it adds it by JSON patch with a Waiver per rule it relaxes.
 */
export class SecureDaemonSet extends SecureWorkload {
  constructor(scope: Construct, id: string, props: SecureDaemonSetProps) { super(scope, id, { ...props, kind: 'DaemonSet' }); }
}

/** A Job: runs to completion, retried at most `job.backoffLimit` times, cleaned up after a day. */
export class SecureJob extends SecureWorkload {
  constructor(scope: Construct, id: string, props: SecureJobProps) { super(scope, id, { ...props, kind: 'Job' }); }
}

/** A CronJob: a Job on a schedule, never overlapping by default. */
export class SecureCronJob extends SecureWorkload {
  constructor(scope: Construct, id: string, props: SecureCronJobProps) { super(scope, id, { ...props, kind: 'CronJob' }); }
}
