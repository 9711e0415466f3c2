/** Reading the PodSecurity plugin configuration out of an AdmissionConfiguration. */
import { isKindOf } from '../../config-files';
import { KubeObject } from '../../types';

export interface PodSecurityPlugin {
  readonly path: string;
  /** The embedded PodSecurityConfiguration, undefined when the plugin points at a file instead. */
  readonly configuration?: any;
}

export function isAdmissionConfiguration(o: KubeObject): boolean {
  return isKindOf(o, ['apiserver.config.k8s.io'], 'AdmissionConfiguration');
}

export function podSecurityPlugin(o: KubeObject): PodSecurityPlugin | undefined {
  const plugins: any[] = Array.isArray(o.plugins) ? o.plugins : [];
  const i = plugins.findIndex((p) => p?.name === 'PodSecurity');
  if (i < 0) return undefined;
  const configuration = plugins[i].configuration;
  return { path: `plugins[${i}]`, configuration: configuration && typeof configuration === 'object' ? configuration : undefined };
}
