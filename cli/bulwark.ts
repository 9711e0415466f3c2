#!/usr/bin/env node
/**
 * The `bulwark` command (bulwark --help; every command has --help). Each command lives in its own
 * module; this one dispatches, prints and sets the exit code.
 *   check FILE|DIR|-...       Kubernetes YAML/JSON checked by the catalog: text, JSON, SARIF (check.ts)
 *   report FILE|DIR|-...      compliance report: Markdown, HTML or JSON (report.ts)
 *   scan [--blueprint DIR]    read-only scan of a live cluster, drift from a blueprint (scan.ts; async)
 *   explain RULE_ID           why, both fixes, references, examples (explain.ts)
 *   rules                     the catalog
 *   docs [--out FILE]         docs/rules.md
 *   init TEMPLATE [DIR] [--yes] [--force] ...   (cli/init.ts; bulwark init --help)
 */
import * as fs from 'fs';
import { CATALOG } from '../policy/catalog';
import { renderCoverageMarkdown } from '../policy/controls';
import { CliIo, CliResult, CommandSpec, helpText, ok, parseCommand, str, usageError } from './args';
import { CHECK, runCheck } from './check';
import { EXPLAIN, runExplain } from './explain';
import { init } from './init';
import { packageVersion } from './package-paths';
import { REPORT, runReport } from './report';
import { runScan, SCAN } from './scan';
import { renderRulesMarkdown } from './rules-doc';

export type { CliResult } from './args';

const RULES: CommandSpec = { name: 'rules', args: '', summary: 'List every rule of the catalog: id, severity, whether it can be waived, title.', options: {} };
const DOCS: CommandSpec = {
  name: 'docs',
  args: '',
  summary: 'Write the rule catalog as Markdown (docs/rules.md is generated this way), or with --coverage the standards\' controls the rules cover (docs/coverage.md).',
  options: {
    out: { type: 'string', value: 'FILE', help: 'write to FILE instead of standard output' },
    coverage: { type: 'boolean', help: 'the coverage of the Pod Security Standards, CIS Benchmark and NSA/CISA guidance instead' },
  },
};

/** Commands and their one-line summaries, for `bulwark --help`. */
const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['check FILE|DIR|-...', 'check Kubernetes YAML or JSON with the rule catalog (text, JSON or SARIF)'],
  ['report FILE|DIR|-...', 'compliance report of a blueprint (dist/) or manifests: Markdown, HTML or JSON'],
  ['scan [--blueprint DIR]', 'read-only scan of a live cluster (kubeconfig), with drift from a blueprint'],
  ['explain RULE_ID', 'why a rule exists, how to fix a finding, a failing and a passing example'],
  ['rules', 'list the rule catalog'],
  ['docs [--out FILE]', 'the rule catalog as Markdown'],
  ['init TEMPLATE [DIR]', 'start a project from a template'],
];

export function topHelp(): string {
  const width = Math.max(...COMMANDS.map(([c]) => c.length)) + 2;
  return [
    'usage: bulwark COMMAND [options]',
    '',
    'Hardened Kubernetes clusters as code: one rule catalog for synth, manifests and live clusters.',
    '',
    'commands:',
    ...COMMANDS.map(([c, s]) => `  ${c.padEnd(width)}${s}`),
    '',
    'bulwark COMMAND --help shows a command\'s options; bulwark --version its version.',
  ].join('\n');
}

/** Runs one synchronous command; `init` (which may prompt) runs outside, in the main block. */
export function run(argv: readonly string[], now: Date = new Date(), io: CliIo = {}): CliResult {
  const [command, ...rest] = argv;
  const withClock: CliIo = { ...io, now: io.now ?? now };
  try {
    switch (command) {
      case 'check': return runCheck(rest, withClock);
      case 'report': return runReport(rest, withClock);
      case 'scan': return { code: 2, stdout: '', stderr: 'bulwark: scan talks to a cluster and runs asynchronously: call runScan (cli/scan.ts)' };
      case 'explain': return runExplain(rest);
      case 'rules': return rules(rest);
      case 'docs': return docs(rest);
      case '--help': case '-h': case 'help': return ok(topHelp());
      case '--version': case '-V': case 'version': return ok(packageVersion());
      default:
        return { code: 2, stdout: '', stderr: `bulwark: ${command ? `unknown command "${command}"` : 'no command given'}\n${topHelp()}` };
    }
  } catch (e) {
    return { code: 2, stdout: '', stderr: `bulwark: ${(e as Error).message}` };
  }
}

function rules(argv: readonly string[]): CliResult {
  let parsed;
  try {
    parsed = parseCommand(RULES, argv);
  } catch (e) {
    return usageError(RULES, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(RULES));
  if (parsed.positionals.length > 0) return usageError(RULES, 'rules takes no arguments');
  return ok(CATALOG.map((r) => `${r.id.padEnd(42)} ${r.severity.padEnd(8)} ${r.waivable ? '' : '(not waivable) '}${r.title}`).join('\n'));
}

function docs(argv: readonly string[]): CliResult {
  let parsed;
  try {
    parsed = parseCommand(DOCS, argv);
  } catch (e) {
    return usageError(DOCS, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(DOCS));
  if (parsed.positionals.length > 0) return usageError(DOCS, 'docs takes no arguments');
  const out = str(parsed, 'out');
  const text = parsed.values.coverage ? renderCoverageMarkdown() : renderRulesMarkdown();
  if (!out) return ok(text);
  fs.writeFileSync(out, text);
  return ok(`wrote ${out}`);
}

/** What the process gives a command: stdin, whether stdout is a terminal, the environment. */
export function processIo(): CliIo {
  return { isTTY: process.stdout.isTTY === true, env: process.env, cwd: process.cwd() };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const done = (r: CliResult) => {
    if (r.stdout) process.stdout.write(`${r.stdout}\n`);
    if (r.stderr) process.stderr.write(`${r.stderr}\n`);
    process.exitCode = r.code;
  };
  // init may prompt, so it is asynchronous and runs outside run().
  if (argv[0] === 'init') void init(argv.slice(1)).then(done);
  else if (argv[0] === 'scan') void runScan(argv.slice(1), processIo()).then(done, (e: Error) => done({ code: 2, stdout: '', stderr: `bulwark: ${e.message}` }));
  else done(run(argv, new Date(), processIo()));
}

export { CHECK, EXPLAIN, REPORT, SCAN };
