#!/usr/bin/env node
/**
 * The `bulwark` command.
 *   bulwark check FILE|DIR... [--kubernetes-version 1.36] [--pack NAME]... [--format text|json]
 *   bulwark explain RULE_ID
 *   bulwark rules
 *   bulwark docs [--out docs/rules.md]
 * `check` reads YAML and JSON exactly as kubectl does (policy/manifests.ts). It exits 1 when any
 * unwaived finding remains; otherwise 2 when some input could not be read as Kubernetes objects
 * (each problem is on stderr with its file and line), on bad usage, or when there is nothing to check.
 */
import * as fs from 'fs';
import { assertSupportedVersion, CATALOG, evaluate, formatFindings, ruleById, unwaived } from '../policy';
import { ManifestProblem, readManifests } from '../policy/manifests';
import { PACK_NAMES, PackName } from '../policy/packs';
import { renderRulesMarkdown } from './rules-doc';

export interface CliResult { code: number; stdout: string; stderr: string }

export function run(argv: readonly string[], now: Date = new Date()): CliResult {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return check(rest, now);
      case 'explain': return explain(rest);
      case 'rules': return ok(CATALOG.map((r) => `${r.id.padEnd(42)} ${r.severity.padEnd(8)} ${r.waivable ? '' : '(not waivable) '}${r.title}`).join('\n'));
      case 'docs': {
        const out = option(rest, '--out');
        const text = renderRulesMarkdown();
        if (!out) return ok(text);
        fs.writeFileSync(out, text);
        return ok(`wrote ${out}`);
      }
      default:
        return usage(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    return { code: 2, stdout: '', stderr: `bulwark: ${(e as Error).message}` };
  }
}

function check(args: readonly string[], now: Date): CliResult {
  const inputs = positional(args, ['--kubernetes-version', '--pack', '--format']);
  if (inputs.length === 0) return usage('check needs at least one YAML file or directory');
  const packs = options(args, '--pack') as PackName[];
  for (const p of packs) if (!PACK_NAMES.includes(p)) return usage(`unknown pack "${p}": use ${PACK_NAMES.join(', ')}`);
  const format = option(args, '--format') ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`unknown format "${format}": use text or json`);
  const kubernetesVersion = option(args, '--kubernetes-version');
  if (args.includes('--kubernetes-version') && !kubernetesVersion) return usage('--kubernetes-version needs a value, e.g. 1.36');
  // An unknown or end-of-life minor is refused rather than checked against rules it does not have.
  if (kubernetesVersion !== undefined) assertSupportedVersion(kubernetesVersion, now, '--kubernetes-version');
  const read = readManifests(inputs);
  const problems = read.problems.map(formatProblem);
  if (read.objects.length === 0) {
    return { code: 2, stdout: '', stderr: [...problems, `bulwark: nothing to check: no Kubernetes objects in ${inputs.join(' ')}`].join('\n') };
  }
  const objects = read.objects.map((o) => o.object);
  const findings = evaluate(objects, { kubernetesVersion, packs: packs.length ? packs : undefined, now });
  const bad = unwaived(findings);
  const stdout = format === 'json'
    ? JSON.stringify(findings, null, 2)
    : `${findings.length === 0 ? '' : `${formatFindings(findings)}\n`}${objects.length} objects, ${bad.length} unwaived and ${findings.length - bad.length} waived findings`;
  if (problems.length > 0) problems.push(`bulwark: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: what is listed above was not checked`);
  return { code: bad.length > 0 ? 1 : problems.length > 0 ? 2 : 0, stdout, stderr: problems.join('\n') };
}

function formatProblem(p: ManifestProblem): string {
  return `bulwark: ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`;
}

function explain(args: readonly string[]): CliResult {
  const id = args[0];
  const rule = id ? ruleById(id) : undefined;
  if (!rule) return usage(`unknown rule "${id ?? ''}": run "bulwark rules" for the list`);
  return ok([
    `${rule.id}: ${rule.title}`,
    `severity: ${rule.severity}${rule.waivable ? '' : ' (not waivable)'}`,
    `why: ${rule.rationale}`,
    `fix: ${rule.remediation}`,
    `references: ${rule.references.map((r) => `${r.source} ${r.id}`).join('; ')}`,
  ].join('\n'));
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function options(args: readonly string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
}

function positional(args: readonly string[], valued: readonly string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1]));
}

function ok(stdout: string): CliResult {
  return { code: 0, stdout, stderr: '' };
}

function usage(problem: string): CliResult {
  return {
    code: 2,
    stdout: '',
    stderr: `bulwark: ${problem}\nusage: bulwark check FILE|DIR... [--kubernetes-version 1.36] [--pack ${PACK_NAMES.join('|')}]... [--format text|json]\n       bulwark explain RULE_ID | bulwark rules | bulwark docs [--out FILE]`,
  };
}

if (require.main === module) {
  const r = run(process.argv.slice(2));
  if (r.stdout) process.stdout.write(`${r.stdout}\n`);
  if (r.stderr) process.stderr.write(`${r.stderr}\n`);
  process.exitCode = r.code;
}
