import { Rule, Violation } from '../../types';
import { isPersistentVolume, PERSISTENT_VOLUME_SOURCES, SOURCE_RISK } from './persistent-volumes';

export const staticPersistentVolumes: Rule = {
  id: 'storage/static-persistent-volumes',
  title: 'PersistentVolumes written by hand (local, nfs, csi and the rest) need a reviewed waiver',
  severity: 'high',
  waivable: true,
  rationale: 'A pod may mount any PersistentVolumeClaim, and a claim binds to whatever PersistentVolume matches it: whoever writes the '
    + 'PersistentVolume chooses what the pod gets. A local volume is a node directory like hostPath (any path, "/" included); nfs, iscsi, '
    + 'rbd, cephfs and the other network sources are mounted by the node, with its network identity and the credentials the volume names; '
    + 'a csi volume is whatever volumeHandle the driver can reach with its own credentials, another team\'s disk included. Volumes made '
    + 'by a StorageClass\'s provisioner for a claim carry none of that choice. hostPath volumes are refused outright by '
    + 'storage/no-host-path-persistent-volumes. Waivable, because dedicated local disks and pre-existing network shares are legitimate: '
    + 'the waiver records who checked the source and that spec.claimRef pins the one claim that may bind it.',
  remediation: 'Let a StorageClass provision volumes for claims; for a pre-provisioned disk or share, pin spec.claimRef to its claim and waive this rule on the PersistentVolume with the reason the source was reviewed.',
  manifestRemediation: 'Remove the PersistentVolume and set spec.storageClassName on the PersistentVolumeClaim so a provisioner makes the volume; if it must stay, set spec.claimRef to the one claim and add a bulwark.dev/waivers entry for this rule naming the reviewed source.',
  references: [
    { source: 'Kubernetes', id: 'RBAC Good Practices: Persistent volume creation', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation' },
    { source: 'Kubernetes', id: 'Persistent Volumes: Reserving a PersistentVolume (claimRef)', url: 'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reserving-a-persistentvolume' },
  ],
  check(object): Violation[] {
    if (!isPersistentVolume(object) || object.spec?.hostPath != null) return [];
    const spec = object.spec ?? {};
    const sources = PERSISTENT_VOLUME_SOURCES.filter((s) => s !== 'hostPath' && spec[s] != null);
    const name = object.metadata?.name;
    if (sources.length === 0) {
      // No source Bulwark knows (a newer one, or a typo the API server refuses): fail closed.
      return [{ path: 'spec', reason: 'static persistent volume', detail: `PersistentVolume "${name}" names no volume source Bulwark knows, so what it mounts cannot be checked` }];
    }
    return sources.map((s) => ({
      path: `spec.${s}`, reason: 'static persistent volume',
      detail: `PersistentVolume "${name}" gives the claim that binds it ${SOURCE_RISK[s] ?? `a ${s} volume chosen by whoever writes the PersistentVolume`}${spec.claimRef ? '' : '; and with no spec.claimRef, a claim in any namespace may bind it'}`,
    }));
  },
};
