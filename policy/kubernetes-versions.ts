import { compareVersions, formatVersion, parsePolicyVersion, PolicyVersion } from './types';

/**
 * Kubernetes minors Bulwark can target, with their upstream end-of-life dates
 * (https://kubernetes.io/releases/: each minor is patched for about 14 months).
 * Minors not listed are older and long past end of life.
 */
export const SUPPORT_TABLE: ReadonlyArray<{ readonly version: string; readonly endOfLife: string }> = [
  { version: '1.33', endOfLife: '2026-06-28' },
  { version: '1.34', endOfLife: '2026-10-27' },
  { version: '1.35', endOfLife: '2027-02-28' },
  { version: '1.36', endOfLife: '2027-06-28' },
  { version: '1.37', endOfLife: '2027-10-28' },
];

/** Bulwark's default target: the newest minor but one, which managed offerings all serve. */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/**
 * Returns the parsed version when it is a supported minor at `now`; throws naming the
 * supported minors otherwise. End-of-life minors get no security patches, so they are refused.
 */
export function assertSupportedVersion(text: string, now: Date = new Date(), what = 'kubernetesVersion'): PolicyVersion {
  const version = parsePolicyVersion(text);
  const supported = SUPPORT_TABLE.filter((e) => new Date(`${e.endOfLife}T23:59:59Z`).getTime() >= now.getTime()).map((e) => e.version);
  const entry = SUPPORT_TABLE.find((e) => e.version === formatVersion(version));
  const newest = parsePolicyVersion(SUPPORT_TABLE[SUPPORT_TABLE.length - 1].version);
  if (!entry && compareVersions(version, newest) > 0) {
    throw new Error(`${what} "${text}" is newer than any minor Bulwark knows (newest: ${formatVersion(newest)}). Use one of: ${supported.join(', ')}.`);
  }
  if (!entry || !supported.includes(entry.version)) {
    const eol = entry ? ` (end of life since ${entry.endOfLife})` : '';
    throw new Error(`${what} "${text}" is past end of life${eol} and gets no security patches. Use one of: ${supported.join(', ')}.`);
  }
  return version;
}
