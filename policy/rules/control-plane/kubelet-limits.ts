import { Rule, Violation } from '../../types';
import { durationMs, kubeletRule, kubeletViolation } from './kubelet';

export const kubeletLimits: Rule = kubeletRule({
  id: 'control-plane/kubelet-limits',
  title: 'Kubelets must time out idle streams, rate-limit events and cap the PIDs of each pod',
  severity: 'medium',
  waivable: true,
  rationale: 'An exec or port-forward stream that never times out outlives the person who opened it; an unlimited event rate lets one crash-looping pod flood the API server; a pod without a PID limit can fork-bomb the node.',
  remediation: 'Set streamingConnectionIdleTimeout to a short, non-zero duration (e.g. 5m), eventRecordQPS above 0 (e.g. 50) and podPidsLimit (e.g. 4096).',
  manifestRemediation: 'In the KubeletConfiguration set streamingConnectionIdleTimeout: 5m, eventRecordQPS: 50 (above 0) and podPidsLimit: 4096.',
  references: [
    { source: 'CIS', id: '4.2.5, 4.2.8, 4.2.13' },
    { source: 'Checkov', id: 'CKV_K8S_143, CKV_K8S_147' },
  ],
}, (o): Violation[] => {
  const out: Violation[] = [];
  const idle = o.streamingConnectionIdleTimeout;
  if (idle !== undefined && !(durationMs(idle)! > 0)) out.push(kubeletViolation(o, 'streamingConnectionIdleTimeout', 'streams never time out', 'must be a non-zero duration such as "5m"'));
  if (o.eventRecordQPS !== undefined && !(Number(o.eventRecordQPS) > 0)) out.push(kubeletViolation(o, 'eventRecordQPS', 'events not rate-limited', 'must be above 0 (0 means no limit)'));
  if (!(Number.isInteger(o.podPidsLimit) && o.podPidsLimit > 0)) out.push(kubeletViolation(o, 'podPidsLimit', 'no PID limit', 'must be a positive number of processes per pod (the default, -1, is unlimited)'));
  return out;
});
