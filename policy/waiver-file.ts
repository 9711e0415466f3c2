/**
 * Waivers for manifests that cannot carry Bulwark's annotation (a vendor's chart, kubectl output):
 * a YAML or JSON file given to `bulwark check --waivers`. Each entry has the annotation's fields
 * (rule, reason, owner, expires, container) and the same rules (an existing waivable rule, a reason
 * of 20+ characters, an expiry that is a real date and not past), plus the object it covers:
 *
 *   waivers:
 *     - kind: DaemonSet
 *       namespace: monitoring          # required for namespaced kinds
 *       name: node-exporter
 *       rule: workloads/read-only-root-filesystem
 *       reason: the exporter keeps its textfile collector state under /var/lib/node-exporter
 *       owner: team-observability
 *       expires: 2027-03-31
 *       container: node-exporter        # optional: one container only
 *
 * An entry that breaks a rule is a problem with its file and line, and is not used.
 */
import { CATALOG_BY_ID } from './catalog';
import { ExternalWaiver } from './engine';
import { parseKubernetesStream } from './kube-yaml';
import { ManifestProblem } from './manifests';
import { isNamespaced } from './scope';
import { waiverProblems } from './waivers';

const FIELDS = ['kind', 'apiVersion', 'namespace', 'name', 'rule', 'reason', 'owner', 'expires', 'container'] as const;

export interface WaiverFile {
  readonly waivers: ExternalWaiver[];
  readonly problems: ManifestProblem[];
  /** The 1-based line of each valid waiver, in `waivers` order. */
  readonly lines: number[];
}

/** Reads and checks a waiver file's text; `now` is the clock expiry is judged against. */
export function parseWaiverFile(text: string, file: string, now: Date): WaiverFile {
  const stream = parseKubernetesStream(text);
  const problems: ManifestProblem[] = stream.problems.map((p) => ({ file, ...p }));
  const waivers: ExternalWaiver[] = [];
  const lines: number[] = [];
  if (stream.documents.length === 0 && problems.length === 0) problems.push({ file, message: 'the waiver file is empty: it needs a "waivers:" list' });
  if (stream.documents.length > 1) problems.push({ file, line: stream.documents[1].line, message: 'a waiver file holds one document with a "waivers:" list' });
  const doc = stream.documents[0];
  if (!doc) return { waivers, problems, lines };
  const root = doc.value as Record<string, unknown>;
  if (!root || typeof root !== 'object' || Array.isArray(root) || !Array.isArray(root.waivers)) {
    problems.push({ file, line: doc.line, message: 'a waiver file is a mapping with a "waivers:" list' });
    return { waivers, problems, lines };
  }
  for (const key of Object.keys(root)) if (key !== 'waivers') problems.push({ file, line: doc.line, message: `unknown field "${key}": a waiver file has only "waivers"` });
  root.waivers.forEach((entry: unknown, i: number) => {
    const line = (entry !== null && typeof entry === 'object' ? doc.lineOf(entry) : undefined) ?? doc.line;
    const bad = (message: string) => problems.push({ file, line, message: `waiver ${i + 1}: ${message}` });
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      bad('must be a mapping with kind, name, rule and reason');
      return;
    }
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !(FIELDS as readonly string[]).includes(k));
    const nonText = FIELDS.filter((f) => e[f] !== undefined && typeof e[f] !== 'string');
    const missing = (['kind', 'name', 'rule', 'reason'] as const).filter((f) => typeof e[f] !== 'string' || (e[f] as string).trim() === '');
    const errors: string[] = [
      ...unknown.map((k) => `unknown field "${k}" (use ${FIELDS.join(', ')})`),
      ...nonText.map((f) => `${f} must be text, not ${JSON.stringify(e[f])}`),
      ...missing.filter((f) => !nonText.includes(f)).map((f) => `${f} is required`),
    ];
    const kind = typeof e.kind === 'string' ? e.kind : '';
    if (kind && typeof e.namespace !== 'string' && isNamespaced(typeof e.apiVersion === 'string' ? e.apiVersion : groupGuess(kind), kind)) {
      errors.push(`namespace is required for a ${kind} (a waiver covers one object, not every namespace)`);
    }
    if (errors.length === 0) {
      const spec = { rule: e.rule as string, reason: e.reason as string, ...(e.owner !== undefined ? { owner: e.owner as string } : {}), ...(e.expires !== undefined ? { expires: e.expires as string } : {}) };
      errors.push(...waiverProblems(spec, CATALOG_BY_ID.get(spec.rule), now));
    }
    if (errors.length > 0) {
      for (const m of errors) bad(m);
      return;
    }
    waivers.push({
      kind,
      name: e.name as string,
      ...(typeof e.namespace === 'string' ? { namespace: e.namespace } : {}),
      rule: e.rule as string,
      reason: e.reason as string,
      ...(typeof e.owner === 'string' ? { owner: e.owner } : {}),
      ...(typeof e.expires === 'string' ? { expires: e.expires } : {}),
      ...(typeof e.container === 'string' ? { container: e.container } : {}),
    });
    lines.push(line);
  });
  return { waivers, problems, lines };
}

/** Kind names the cluster-scope table knows, with their group, for entries that leave apiVersion out. */
function groupGuess(kind: string): string {
  if (kind === 'ClusterRole' || kind === 'ClusterRoleBinding') return 'rbac.authorization.k8s.io/v1';
  if (/^(Validating|Mutating)(Webhook|AdmissionPolicy)/.test(kind)) return 'admissionregistration.k8s.io/v1';
  if (kind === 'CustomResourceDefinition') return 'apiextensions.k8s.io/v1';
  if (['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'].includes(kind)) return 'storage.k8s.io/v1';
  if (kind === 'PriorityClass') return 'scheduling.k8s.io/v1';
  if (kind === 'RuntimeClass') return 'node.k8s.io/v1';
  if (kind === 'IngressClass') return 'networking.k8s.io/v1';
  return 'v1';
}
