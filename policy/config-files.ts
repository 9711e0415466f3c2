import { KubeObject } from './types';

/**
 * API groups of configuration files: documents a component reads from disk at start (audit policy,
 * admission, encryption and authentication configuration, kubelet and kubeadm configuration, kind
 * clusters, Bulwark's API-server flags). They are never applied to the API server, so they have no
 * namespace and rules about API objects do not apply to them.
 */
export const CONFIG_FILE_GROUPS: ReadonlySet<string> = new Set([
  'audit.k8s.io', 'apiserver.config.k8s.io', 'kubelet.config.k8s.io', 'kubeadm.k8s.io', 'kind.x-k8s.io',
  'controlplane.bulwark.dev', 'pod-security.admission.config.k8s.io', 'eventratelimit.admission.k8s.io',
  'kubeproxy.config.k8s.io', 'kubescheduler.config.k8s.io', 'kubecontrollermanager.config.k8s.io',
]);

/** The API group of an apiVersion ("" for the core group). */
export function apiGroupOf(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** True for a configuration file document (see CONFIG_FILE_GROUPS), false for an API object. */
export function isConfigFile(object: KubeObject): boolean {
  return CONFIG_FILE_GROUPS.has(apiGroupOf(object.apiVersion));
}

/** True when `object` is `kind` in one of `groups` (any version). */
export function isKindOf(object: KubeObject, groups: readonly string[], kind: string): boolean {
  return object.kind === kind && groups.includes(apiGroupOf(object.apiVersion));
}
