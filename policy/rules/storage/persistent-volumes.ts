import { apiGroupOf } from '../../config-files';
import { KubeObject } from '../../types';

/** True for a PersistentVolume of the core group: the object a claim binds to, whose source the kubelet mounts. */
export function isPersistentVolume(o: KubeObject): boolean {
  return !!o && o.kind === 'PersistentVolume' && apiGroupOf(o.apiVersion) === '';
}

/**
 * The volume sources of a PersistentVolume's spec that are set, in spec order: every field of
 * PersistentVolumeSource (hostPath, local, nfs, csi, iscsi, ...) is a key of `spec` holding an object.
 */
export const PERSISTENT_VOLUME_SOURCES: readonly string[] = [
  'hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'glusterfs', 'flexVolume', 'cinder', 'flocker',
  'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'vsphereVolume', 'quobyte', 'portworxVolume',
  'photonPersistentDisk', 'scaleIO', 'storageos',
];

/** What mounting each kind of source gives whoever claims the volume, for the finding's detail. */
export const SOURCE_RISK: Readonly<Record<string, string>> = {
  local: 'a directory of the node, mounted into the pod like a hostPath volume: the path is chosen by whoever writes the PersistentVolume',
  nfs: 'an export mounted by the node, with the node\'s network identity (NFS trusts client addresses), past every NetworkPolicy',
  iscsi: 'a block device the node logs in to, with credentials and targets chosen by whoever writes the PersistentVolume',
  fc: 'a Fibre Channel device attached to the node',
  rbd: 'a Ceph image mapped by the node with the keyring it names',
  cephfs: 'a CephFS tree mounted by the node with the credentials it names',
  glusterfs: 'a Gluster volume mounted by the node',
  flexVolume: 'a FlexVolume driver run as root on the node with options chosen by whoever writes the PersistentVolume',
  csi: 'whatever volumeHandle the CSI driver can reach with its own cloud or storage credentials, another team\'s disk included',
};
