/** `bulwark explain RULE_ID`: why, both fixes, references, and the rule's own failing and passing example. */
import { CATALOG, ruleById } from '../policy/catalog';
import { PACK_NAMES, packRules } from '../policy/packs';
import { DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { parsePolicyVersion } from '../policy/types';
import { CliResult, CommandSpec, helpText, ok, parseCommand, usageError } from './args';
import { ruleExamples } from './rule-examples';

export const EXPLAIN: CommandSpec = {
  name: 'explain',
  args: 'RULE_ID',
  summary: 'Explain a rule: why it exists, the fix for a raw manifest and for Bulwark\'s constructs, its references, and a failing and a passing example from its own test fixtures.',
  options: {},
  details: 'Rule ids: bulwark rules.',
};

export function runExplain(argv: readonly string[]): CliResult {
  let parsed;
  try {
    parsed = parseCommand(EXPLAIN, argv);
  } catch (e) {
    return usageError(EXPLAIN, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(EXPLAIN));
  const id = parsed.positionals[0];
  if (parsed.positionals.length > 1) return usageError(EXPLAIN, 'explain takes one rule id');
  const rule = id ? ruleById(id) : undefined;
  if (!rule) {
    const near = id ? CATALOG.filter((r) => r.id.endsWith(`/${id}`) || r.id.includes(id)).map((r) => r.id).slice(0, 5) : [];
    return usageError(EXPLAIN, `unknown rule "${id ?? ''}"${near.length ? `: did you mean ${near.join(', ')}?` : ''}: run "bulwark rules" for the list`);
  }
  const version = parsePolicyVersion(DEFAULT_KUBERNETES_VERSION);
  const packs = PACK_NAMES.filter((p) => packRules(p, version).some((r) => r.id === rule.id));
  const examples = ruleExamples(rule.id);
  const indent = (text: string) => text.replace(/\n$/, '').split('\n').map((l) => `    ${l}`).join('\n');
  const out = [
    `${rule.id}: ${rule.title}`,
    `severity: ${rule.severity}; ${rule.waivable ? 'waivable (bulwark.dev/waivers annotation, Waiver.of, or check --waivers)' : 'not waivable'}`,
    `packs: ${packs.length ? packs.join(', ') : 'none'}${rule.admission ? '; also an in-cluster guardrail (ClusterGuardrails)' : ''}`,
    '',
    `why: ${rule.rationale}`,
    '',
    `fix in a manifest: ${rule.manifestRemediation ?? rule.remediation}`,
    `fix with Bulwark's constructs: ${rule.remediation}`,
    '',
    'references:',
    ...rule.references.map((r) => `  - ${r.source} ${r.id}${r.url ? ` <${r.url}>` : ''}`),
  ];
  for (const kind of ['fail', 'pass'] as const) {
    const e = examples?.[kind];
    out.push('', e ? `${kind === 'fail' ? 'failing' : 'passing'} example (${e.file}):` : `${kind === 'fail' ? 'failing' : 'passing'} example: none in the fixtures`);
    if (e) out.push(indent(e.text));
  }
  return ok(out.join('\n'));
}
