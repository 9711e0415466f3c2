import { KubeObject, Rule, Violation } from '../../types';
import { componentFlags, flagViolation, isFalse, isTrue } from './flags';

function check(object: KubeObject): Violation[] {
  const out: Violation[] = [];
  for (const component of ['controllerManager', 'scheduler'] as const) {
    const flags = componentFlags(object, component);
    if (!flags) continue;
    if (!isFalse(flags.get('profiling'))) out.push(flagViolation(flags, 'profiling', 'profiling on', 'must be "false" (it defaults to true)'));
    if (flags.get('bind-address') !== '127.0.0.1') out.push(flagViolation(flags, 'bind-address', 'listens beyond loopback', 'must be "127.0.0.1": only local health checks need its port'));
    if (component === 'controllerManager') {
      if (!isTrue(flags.get('use-service-account-credentials'))) out.push(flagViolation(flags, 'use-service-account-credentials', 'shared controller identity', 'must be "true", so each controller runs with its own least-privilege ServiceAccount'));
      if (!(Number(flags.get('terminated-pod-gc-threshold')) > 0)) out.push(flagViolation(flags, 'terminated-pod-gc-threshold', 'terminated pods kept', 'must be a positive number of terminated pods to keep (the default, 12500, is rarely right)'));
    }
  }
  return out;
}

export const controllerManagerAndScheduler: Rule = {
  id: 'control-plane/controller-manager-and-scheduler',
  title: 'kube-controller-manager and kube-scheduler must not profile, must listen on loopback only, and controllers must use their own credentials',
  severity: 'medium',
  waivable: true,
  rationale: 'Profiling endpoints leak internals; a health port on every interface is reachable from pods; with one shared identity every controller holds the union of all controllers\' permissions.',
  remediation: 'In the kubeadm ClusterConfiguration set controllerManager.extraArgs profiling=false, bind-address=127.0.0.1, use-service-account-credentials=true, terminated-pod-gc-threshold, and scheduler.extraArgs profiling=false, bind-address=127.0.0.1.',
  manifestRemediation: 'In the kubeadm ClusterConfiguration (or the static Pod manifests) set controllerManager.extraArgs profiling: "false", bind-address: 127.0.0.1, use-service-account-credentials: "true" and terminated-pod-gc-threshold, and scheduler.extraArgs profiling: "false" and bind-address: 127.0.0.1.',
  references: [
    { source: 'CIS', id: '1.3.1, 1.3.2, 1.3.3, 1.3.7, 1.4.1, 1.4.2' },
    { source: 'Checkov', id: 'CKV_K8S_106, CKV_K8S_107, CKV_K8S_108, CKV_K8S_113, CKV_K8S_114, CKV_K8S_115' },
  ],
  check,
};
