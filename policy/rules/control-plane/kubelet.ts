/** Reading a KubeletConfiguration (kubelet.config.k8s.io/v1beta1), for the kubelet rules. */
import { isKindOf } from '../../config-files';
import { KubeObject, Rule, RuleMeta, Violation } from '../../types';

export function isKubeletConfiguration(o: KubeObject): boolean {
  return isKindOf(o, ['kubelet.config.k8s.io'], 'KubeletConfiguration');
}

/** A violation on one field of a KubeletConfiguration, worded the same way by every kubelet rule. */
export function kubeletViolation(o: KubeObject, path: string, reason: string, want: string): Violation {
  const value = path.split('.').reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
  return { path, reason, detail: `KubeletConfiguration ${path} ${value === undefined ? 'is not set' : `is ${JSON.stringify(value)}`}: ${want}` };
}

export function kubeletRule(meta: RuleMeta, check: (o: KubeObject) => Violation[]): Rule {
  return { ...meta, check: (o) => (isKubeletConfiguration(o) ? check(o) : []) };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string ("4h0m0s", "5m", "0"), or undefined when it is not one. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === '0') return 0;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
}
