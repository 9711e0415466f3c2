import { definePodSecurityRule, v } from './define';

export const hostPathVolumes = definePodSecurityRule({
  id: 'pod-security/host-path-volumes',
  psaCheck: 'hostPathVolumes',
  level: 'baseline',
  title: 'Pods must not mount hostPath volumes',
  severity: 'critical',
  waivable: false,
  reason: 'hostPath volumes',
  rationale: 'A hostPath volume exposes the node filesystem: container runtime sockets, kubelet credentials and other pods\' data.',
  remediation: 'Replace the hostPath volume with an emptyDir, a configMap/secret projection or a PersistentVolumeClaim.',
  manifestRemediation: 'Remove the hostPath volume from volumes[]; use an emptyDir (with sizeLimit), a configMap or secret volume, or a persistentVolumeClaim.',
  references: [
    { source: 'CIS', id: '5.2.12' },
    { source: 'kube-linter', id: 'host-mounts (sensitive-host-mounts)' },
    { source: 'Polaris', id: 'hostPathSet' },
    { source: 'Checkov', id: 'CKV_K8S_27' },
    { source: 'Trivy', id: 'KSV023' },
  ],
  versions: [{
    since: v(0),
    check: (_m, spec) => (Array.isArray(spec?.volumes) ? spec.volumes : [])
      .map((vol: any, i: number) => ({ vol, i }))
      .filter(({ vol }: any) => vol?.hostPath != null)
      .map(({ vol, i }: any) => ({ field: `volumes[${i}].hostPath`, detail: `volume "${vol.name}" must not be a hostPath volume` })),
  }],
});
