import { CATALOG, POD_SECURITY_RULES, PodSecurityRule, RECOMMENDED_RULES } from '../policy';
import { PACK_NAMES, packRules } from '../policy/packs';
import { DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { CONTROL_PLANE_RULES } from '../policy/rules/control-plane';
import { parsePolicyVersion, Rule } from '../policy/types';

/** docs/rules.md, generated from the catalog (`npm run docs`); a test fails when it is stale. */
export function renderRulesMarkdown(): string {
  const v = parsePolicyVersion(DEFAULT_KUBERNETES_VERSION);
  const out: string[] = [
    '# Rule catalog',
    '',
    '<!-- Generated from policy/ by `npm run docs`. Do not edit by hand. -->',
    '',
    `${CATALOG.length} rules. One catalog serves synth-time validation, the jest matchers and \`bulwark check\`.`,
    'Relax a waivable rule only with a `Waiver` (reason of 20+ characters, optional owner and expiry).',
    '',
    '## Packs',
    '',
    '| pack | rules (at the default target, Kubernetes ' + DEFAULT_KUBERNETES_VERSION + ') |',
    '|---|---|',
    ...PACK_NAMES.map((p) => `| \`${p}\` | ${packRules(p, v).map((r) => `\`${r.id}\``).join(', ')} |`),
    '',
    '## Index',
    '',
    '| id | severity | waivable | title |',
    '|---|---|---|---|',
    ...CATALOG.map((r) => `| [\`${r.id}\`](#${anchor(r.id)}) | ${r.severity} | ${r.waivable ? 'yes' : '**no**'} | ${r.title} |`),
    '',
  ];
  const section = (title: string, rules: readonly Rule[]) => {
    out.push(`## ${title}`, '');
    for (const r of rules) out.push(...renderRule(r));
  };
  section('Pod Security Standards', POD_SECURITY_RULES);
  section('Bulwark recommended', RECOMMENDED_RULES);
  section('Control plane (configuration files, pack cis-control-plane)', CONTROL_PLANE_RULES);
  section('Waivers', CATALOG.filter((r) => r.id.startsWith('waivers/')));
  return out.join('\n');
}

function renderRule(r: Rule): string[] {
  const pss = POD_SECURITY_RULES.find((p) => p.id === r.id);
  return [
    `### ${r.id}`,
    '',
    `**${r.title}.** Severity ${r.severity}; ${r.waivable ? 'waivable' : 'not waivable'}.`,
    ...(pss ? ['', `Upstream check \`${pss.psaCheck}\` (${pss.level}); behaviour changes at: ${pss.versions.map((e) => `v${e.since.major}.${e.since.minor}`).join(', ')}.${overridesText(pss)}`] : []),
    '',
    `Why: ${r.rationale}`,
    '',
    `Fix with Bulwark's constructs: ${r.remediation}`,
    '',
    ...(r.manifestRemediation ? [`Fix in a manifest: ${r.manifestRemediation}`, ''] : []),
    `References: ${r.references.map((ref) => (ref.url ? `[${ref.source} ${ref.id}](${ref.url})` : `${ref.source} ${ref.id}`)).join('; ')}.`,
    '',
  ];
}

/** Upstream drops the overridden baseline check at restricted; Bulwark keeps it on (see packs.ts). */
function overridesText(r: PodSecurityRule): string {
  const overridden = [...new Set(r.versions.flatMap((e) => e.overrides ?? []))];
  return overridden.length === 0 ? '' : ` Upstream, it replaces ${overridden.map((o) => `\`${o}\``).join(', ')} at restricted; Bulwark keeps that check on too, so waiving this one never relaxes it.`;
}

function anchor(id: string): string {
  return id.replace(/\//g, '').toLowerCase();
}
