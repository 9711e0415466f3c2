import { describeObject, Finding } from './types';

export interface FormatOptions {
  /** Maps an object (kind/namespace/name) to the construct path that made it, when known. */
  readonly constructPathOf?: (f: Finding) => string | undefined;
}

/** Every finding, grouped by object, each with rule id, detail, path and fix. */
export function formatFindings(findings: readonly Finding[], options: FormatOptions = {}): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = describeObject(f.object);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines: string[] = [];
  for (const [key, list] of groups) {
    const construct = options.constructPathOf?.(list[0]);
    lines.push(`${key}${construct ? ` (construct ${construct})` : ''}:`);
    for (const f of list) {
      lines.push(`  - [${f.ruleId}] ${f.reason}: ${f.detail}${f.waiver ? ` (waived: ${f.waiver.reason})` : ''}`);
      lines.push(`      at ${f.path}`);
      if (!f.waiver) lines.push(`      fix: ${f.remediation}`);
    }
  }
  return lines.join('\n');
}
