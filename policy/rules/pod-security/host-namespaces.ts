import { definePodSecurityRule, v } from './define';

export const hostNamespaces = definePodSecurityRule({
  id: 'pod-security/host-namespaces',
  psaCheck: 'hostNamespaces',
  level: 'baseline',
  title: 'Pods must not share the host network, PID or IPC namespace',
  severity: 'critical',
  waivable: false,
  reason: 'host namespaces',
  rationale: 'Sharing host namespaces lets a pod see and signal host processes, sniff node traffic and reach node-local services such as the kubelet.',
  remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
  manifestRemediation: 'Set hostNetwork: false, hostPID: false and hostIPC: false in the pod spec (or leave them out).',
  references: [
    { source: 'CIS', id: '5.2.3, 5.2.4, 5.2.5' },
    { source: 'kube-linter', id: 'host-network, host-pid, host-ipc' },
    { source: 'Polaris', id: 'hostNetworkSet, hostPIDSet, hostIPCSet' },
    { source: 'Checkov', id: 'CKV_K8S_17, CKV_K8S_18, CKV_K8S_19' },
    { source: 'Trivy', id: 'KSV008, KSV009, KSV010' },
  ],
  versions: [{
    since: v(0),
    check: (_m, spec) => (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((f) => spec?.[f] === true)
      .map((f) => ({ field: f, detail: `${f}=true` })),
  }],
});
