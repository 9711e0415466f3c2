/**
 * Unrendered Helm templates. A chart's template that is checked before `helm template` rendered it
 * either fails to parse (kube-yaml.ts reports that with a hint), or parses into values that still
 * hold template actions: `image: "{{ .Values.image }}"`, `name: {{ .Release.Name }}` read as a
 * mapping. Either way Bulwark would be judging text that is not what the API server gets, so such
 * a document is an input problem, not a source of findings (and never "[object Object]").
 *
 * Rendered manifests may legitimately hold `{{ ... }}`: Prometheus and Alertmanager templates in
 * ConfigMaps and rules (`{{ $labels.instance }}`, `{{ range .Alerts }}`). Only actions that use
 * Helm's own objects and functions (.Values, .Release, .Chart, .Capabilities, .Files, .Template,
 * include, tpl, toYaml, ...) are taken for an unrendered chart.
 */
const ACTION = /\{\{([\s\S]*?)\}\}/g;
const HELM_WORDS = /(?:^|[\s(|])\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|(?:^|[\s(|])(?:include|tpl|toYaml|toJson|fromYaml|required|lookup|nindent)\b/;

/** The first Helm template action in the text, e.g. "{{ .Values.image }}". */
export function helmAction(text: string): string | undefined {
  for (const m of text.matchAll(ACTION)) {
    if (HELM_WORDS.test(m[1].replace(/^-/, ' '))) return m[0];
  }
  return undefined;
}

/** A template action found in a value, with the path to it. */
export interface TemplateUse {
  readonly path: string;
  readonly text: string;
  /** The innermost mapping or list holding the value (for its line). */
  readonly holder: object;
}

/** The first unrendered Helm action in the object's keys, values or metadata, or undefined. */
export function findHelmTemplate(value: unknown): TemplateUse | undefined {
  const visit = (v: unknown, path: string, holder: object, depth: number): TemplateUse | undefined => {
    if (depth > 100) return undefined;
    if (typeof v === 'string') {
      const action = v.includes('{{') ? helmAction(v) : undefined;
      return action ? { path, text: action, holder } : undefined;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = visit(v[i], `${path}[${i}]`, v, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const at = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`;
        const inKey = visit(k, at, v, depth + 1);
        if (inKey) return inKey;
        const found = visit(child, at, v, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return value !== null && typeof value === 'object' ? visit(value, '', value, 0) : undefined;
}

/**
 * What kubectl would refuse in an object's identity: metadata that is not a mapping, a name,
 * generateName or namespace that is not text (`name: {{ .Release.Name }}` reads as a mapping).
 */
export function identityProblem(o: Record<string, unknown>): string | undefined {
  const metadata = o.metadata;
  if (metadata === undefined || metadata === null) return undefined;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return `metadata is ${describeValue(metadata)}, not a mapping`;
  for (const field of ['name', 'generateName', 'namespace'] as const) {
    const v = (metadata as Record<string, unknown>)[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return `metadata.${field} is ${describeValue(v)}, not a name`;
  }
  return undefined;
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  return `the ${typeof v} ${String(v)}`;
}
