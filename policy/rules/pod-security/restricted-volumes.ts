import { definePodSecurityRule, v } from './define';

/** Inline volume sources that the restricted profile allows. */
export const RESTRICTED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const ALLOWED = new Set(RESTRICTED_VOLUME_SOURCES);

export const restrictedVolumes = definePodSecurityRule({
  id: 'pod-security/restricted-volumes',
  psaCheck: 'restrictedVolumes',
  level: 'restricted',
  title: 'Pods may only use ephemeral, projected and claim-based volume types',
  severity: 'high',
  waivable: true,
  reason: 'restricted volume types',
  rationale: 'Inline volume sources such as hostPath, nfs or iscsi reach storage outside the control of PersistentVolume admission and RBAC.',
  remediation: `Use only ${RESTRICTED_VOLUME_SOURCES.join(', ')} volumes; move other storage behind a PersistentVolumeClaim.`,
  manifestRemediation: 'Replace the volume with one of the restricted types: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret (put other storage behind a persistentVolumeClaim).',
  references: [{ source: 'Trivy', id: 'KSV028' }],
  versions: [{
    since: v(0),
    overrides: ['pod-security/host-path-volumes'],
    check: (_m, spec) => (Array.isArray(spec?.volumes) ? spec.volumes : [])
      .map((vol: any, i: number) => ({ vol: vol ?? {}, i }))
      // A volume with no source at all is defaulted to emptyDir by the API server before admission.
      .filter(({ vol }: any) => Object.keys(vol).some((k) => k !== 'name' && vol[k] != null))
      .filter(({ vol }: any) => !Object.keys(vol).some((k) => ALLOWED.has(k) && vol[k] != null))
      .map(({ vol, i }: any) => {
        const type = Object.keys(vol).find((k) => k !== 'name' && vol[k] != null) ?? 'unknown';
        return { field: `volumes[${i}]`, detail: `volume "${vol.name}" uses restricted volume type "${type}"` };
      }),
  }],
});
