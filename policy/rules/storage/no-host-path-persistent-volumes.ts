import { Rule, Violation } from '../../types';
import { isPersistentVolume } from './persistent-volumes';

export const noHostPathPersistentVolumes: Rule = {
  id: 'storage/no-host-path-persistent-volumes',
  title: 'PersistentVolumes must not be hostPath volumes',
  severity: 'critical',
  waivable: false,
  rationale: 'Pod Security forbids hostPath volumes in pods, but a pod may mount any PersistentVolumeClaim, even under restricted: a '
    + 'PersistentVolume with spec.hostPath, and a claim that binds to it, hand a restricted pod the node\'s filesystem (path "/" is the '
    + 'whole host: container runtime socket, kubelet credentials, other pods\' data). Not waivable, like pod-security/host-path-volumes.',
  remediation: 'Use a StorageClass with a provisioner (claims get volumes made for them), or a local volume for a dedicated disk; never a hostPath PersistentVolume.',
  manifestRemediation: 'Remove spec.hostPath from the PersistentVolume: let a StorageClass provision volumes for claims, or use spec.local for a dedicated disk with spec.nodeAffinity.',
  references: [
    { source: 'Kubernetes', id: 'Persistent Volumes: hostPath (single node testing only)', url: 'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#types-of-persistent-volumes' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Persistent volume creation', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation' },
    { source: 'CIS', id: '5.2.12' },
  ],
  check(object): Violation[] {
    if (!isPersistentVolume(object) || object.spec?.hostPath == null) return [];
    const path = object.spec.hostPath?.path;
    return [{
      path: 'spec.hostPath', reason: 'hostPath persistent volume',
      detail: `PersistentVolume "${object.metadata?.name}" mounts the node's ${typeof path === 'string' ? `"${path}"` : 'filesystem'} into any pod whose claim binds to it, past Pod Security`,
    }];
  },
};
