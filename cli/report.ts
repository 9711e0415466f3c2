/**
 * `bulwark report FILE|DIR|-...`: the compliance report of a synthesized blueprint (dist/) or of any
 * manifests, as Markdown, one self-contained HTML page, or JSON (the numbers the page shows).
 */
import * as fs from 'fs';
import { CliIo, CliResult, CommandSpec, helpText, ok, parseCommand, str, usageError } from './args';
import { CHECK, inspectArguments } from './check';
import { formatProblem } from './output';
import { buildPosture } from './posture';
import { renderHtml, renderMarkdown } from './report-render';

const REPORT_FORMATS = ['markdown', 'html', 'json'] as const;

export const REPORT: CommandSpec = {
  name: 'report',
  args: 'FILE|DIR|-...',
  summary: 'A compliance report of a synthesized blueprint (dist/) or of any manifests: per namespace and workload, the controls that hold, are waived (reason, owner, expiry) or fail, mapped to the Pod Security Standards, the CIS Kubernetes Benchmark and the NSA/CISA guidance, with what no rule covers.',
  options: {
    format: { type: 'string', short: 'o', value: 'FORMAT', help: `${REPORT_FORMATS.join(', ')} (default: markdown)` },
    out: { type: 'string', value: 'FILE', help: 'write the report to FILE instead of standard output' },
    pack: CHECK.options.pack,
    'kubernetes-version': CHECK.options['kubernetes-version'],
    'trusted-registry': CHECK.options['trusted-registry'],
    namespace: CHECK.options.namespace,
    waivers: CHECK.options.waivers,
  },
  details: 'exit codes: 0 the report was written (whatever it says); 2 bad usage or nothing to report. Input problems are listed in the report and on stderr.',
};

export function runReport(argv: readonly string[], io: CliIo = {}): CliResult {
  const now = io.now ?? new Date();
  let parsed;
  try {
    parsed = parseCommand(REPORT, argv);
  } catch (e) {
    return usageError(REPORT, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(REPORT));
  const inputs = parsed.positionals;
  if (inputs.length === 0) return usageError(REPORT, 'report needs a blueprint directory (dist/) or manifests ("-" reads standard input)');
  const format = str(parsed, 'format') ?? 'markdown';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) return usageError(REPORT, `unknown format "${format}": use ${REPORT_FORMATS.join(', ')}`);
  const read = inspectArguments(REPORT, parsed, now, io, 'report');
  if ('code' in read) return read;
  const { inspection, waivers, problems } = read;
  const posture = buildPosture(inspection, { inputs, external: waivers?.waivers ?? [], now });
  const text = format === 'json' ? JSON.stringify(posture, null, 2) : format === 'html' ? renderHtml(posture) : renderMarkdown(posture);
  const stderr = problems.map(formatProblem).join('\n');
  const out = str(parsed, 'out');
  if (!out) return { code: 0, stdout: text.replace(/\n$/, ''), stderr };
  fs.writeFileSync(out, text);
  return { code: 0, stdout: `wrote ${out}`, stderr };
}
