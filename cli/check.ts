/**
 * `bulwark check FILE|DIR|-...`: any Kubernetes YAML or JSON (Helm or Kustomize output, kubectl
 * get -o yaml) checked by the same catalog as synth. See CHECK.details for exit codes.
 */
import * as fs from 'fs';
import { assertSupportedVersion } from '../policy/kubernetes-versions';
import { PACK_NAMES, PackName } from '../policy/packs';
import { ExternalWaiver } from '../policy/engine';
import { Severity } from '../policy/types';
import { parseWaiverFile } from '../policy/waiver-file';
import { CliIo, CliResult, CommandSpec, helpText, ok, palette, Parsed, parseCommand, str, strs, usageError } from './args';
import { allFindings, Inspection, inspect, Locations, readInputs, SEVERITIES } from './inspect';
import { formatProblem, renderJson, renderText } from './output';
import { packageVersion } from './package-paths';
import { renderSarif } from './sarif';
import { ManifestProblem } from '../policy/manifests';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Options `check`, `report` and `scan` share. */
export const POLICY_OPTIONS = {
  pack: { type: 'string', multiple: true, value: 'NAME', help: `rule pack: ${PACK_NAMES.join(', ')} (default: pss-restricted and bulwark-recommended)` },
  'kubernetes-version': { type: 'string', value: 'MINOR', help: 'Kubernetes minor to check against, e.g. 1.36 (default: Bulwark\'s target)' },
  'min-severity': { type: 'string', value: 'LEVEL', help: `report findings at or above: ${SEVERITIES.join(', ')} (default: low)` },
  'trusted-registry': { type: 'string', multiple: true, value: 'REGISTRY', help: 'registry (host or host/path prefix) images may come from; without it, images/trusted-registry is skipped' },
} as const;

export const CHECK: CommandSpec = {
  name: 'check',
  args: 'FILE|DIR|-...',
  summary: 'Check Kubernetes YAML or JSON (files, directories read recursively, "-" for stdin) with Bulwark\'s rule catalog, read exactly as kubectl sends it to the API server.',
  options: {
    format: { type: 'string', short: 'o', value: 'FORMAT', help: `output: ${FORMATS.join(', ')} (SARIF 2.1.0 for GitHub code scanning)` },
    ...POLICY_OPTIONS,
    namespace: { type: 'string', short: 'n', value: 'NAMESPACE', help: 'namespace that objects without metadata.namespace will be applied to (kubectl -n)' },
    waivers: { type: 'string', value: 'FILE', help: 'waivers for objects that cannot carry the bulwark.dev/waivers annotation (see docs/cli.md)' },
  },
  details: [
    'Every finding names its file, the line of its object and of its field, its severity and the fix: the',
    'field to set for a raw manifest, the construct prop for an object Bulwark made.',
    '',
    'exit codes: 0 nothing to fix; 1 unwaived findings; 2 bad usage, unreadable input (each problem on',
    'stderr with file and line; the other inputs are still checked), an invalid waiver, or nothing to check.',
  ].join('\n'),
};

/** The policy options, checked; throws a message for the first bad one. */
export interface PolicySettings {
  packs?: PackName[];
  kubernetesVersion?: string;
  minSeverity?: Severity;
  trustedRegistries?: string[];
}

export function policySettings(values: Parameters<typeof str>[0], now: Date): PolicySettings | string {
  const packs = strs(values, 'pack');
  for (const p of packs) if (!(PACK_NAMES as readonly string[]).includes(p)) return `unknown pack "${p}": use ${PACK_NAMES.join(', ')}`;
  const kubernetesVersion = str(values, 'kubernetes-version');
  if (kubernetesVersion !== undefined) {
    // An unknown or end-of-life minor is refused rather than checked against rules it does not have.
    try {
      assertSupportedVersion(kubernetesVersion, now, '--kubernetes-version');
    } catch (e) {
      return (e as Error).message;
    }
  }
  const minSeverity = str(values, 'min-severity');
  if (minSeverity !== undefined && !(SEVERITIES as readonly string[]).includes(minSeverity)) return `unknown severity "${minSeverity}": use ${SEVERITIES.join(', ')}`;
  const registries = strs(values, 'trusted-registry');
  if (registries.some((r) => r.trim() === '')) return '--trusted-registry needs a registry, e.g. registry.example.com/team';
  return {
    ...(packs.length ? { packs: packs as PackName[] } : {}),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(minSeverity ? { minSeverity: minSeverity as Severity } : {}),
    ...(registries.length ? { trustedRegistries: registries } : {}),
  };
}

export function formatOf(values: Parameters<typeof str>[0]): Format | string {
  const format = str(values, 'format') ?? 'text';
  return (FORMATS as readonly string[]).includes(format) ? (format as Format) : `unknown format "${format}": use ${FORMATS.join(', ')}`;
}

/** Reads a --waivers file: its valid waivers, and a problem for each invalid or expired entry. */
export function readWaiverFile(file: string, now: Date): { waivers: ExternalWaiver[]; problems: ManifestProblem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { waivers: [], problems: [{ file, message: `cannot read the waiver file: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` }] };
  }
  return parseWaiverFile(text, file, now);
}

export function runCheck(argv: readonly string[], io: CliIo = {}): CliResult {
  const now = io.now ?? new Date();
  let parsed;
  try {
    parsed = parseCommand(CHECK, argv);
  } catch (e) {
    return usageError(CHECK, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(CHECK));
  const inputs = parsed.positionals;
  if (inputs.length === 0) return usageError(CHECK, 'check needs at least one YAML file or directory ("-" reads standard input)');
  const format = formatOf(parsed);
  if (!(FORMATS as readonly string[]).includes(format)) return usageError(CHECK, format);
  const read = inspectArguments(CHECK, parsed, now, io, 'check');
  if ('code' in read) return read;
  const { inspection, waivers, problems } = read;
  const stdout = render(inspection, format as Format, io);
  const unwaived = allFindings(inspection).filter((f) => !f.waiver).length;
  const stderr = problems.map(formatProblem);
  if (problems.length > 0) stderr.push(`bulwark: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: what is listed above was not checked${waivers?.problems.length ? ' (or, for a waiver, not applied)' : ''}`);
  return { code: unwaived > 0 ? 1 : problems.length > 0 ? 2 : 0, stdout, stderr: stderr.join('\n') };
}

/**
 * What check and report share: the policy options, the waiver file, the inputs read as kubectl
 * reads them, and one inspection. A CliResult (usage error, nothing to `verb`) when it cannot go on.
 */
export function inspectArguments(command: CommandSpec, parsed: Parsed, now: Date, io: CliIo, verb: string):
  CliResult | { inspection: Inspection; waivers?: ReturnType<typeof readWaiverFile>; problems: ManifestProblem[] } {
  const inputs = parsed.positionals;
  const settings = policySettings(parsed, now);
  if (typeof settings === 'string') return usageError(command, settings);
  const namespace = str(parsed, 'namespace');
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) return usageError(command, `--namespace "${namespace}" is not a namespace name`);
  const waiverFile = str(parsed, 'waivers');
  const waivers = waiverFile ? readWaiverFile(waiverFile, now) : undefined;
  const read = readInputs(inputs, io.readStdin);
  const problems = [...(waivers?.problems ?? []), ...read.problems];
  if (read.objects.length === 0) {
    return { code: 2, stdout: '', stderr: [...problems.map(formatProblem), `bulwark: nothing to ${verb}: no Kubernetes objects in ${inputs.join(' ')}`].join('\n') };
  }
  const result = inspect(read.objects.map((o) => ({ object: o.object, source: { file: o.file, line: o.line } })), {
    ...settings,
    ...(namespace ? { namespace } : {}),
    ...(waivers ? { waivers: waivers.waivers } : {}),
    now,
  }, new Locations(read.stdinText));
  return { inspection: { ...result, problems }, waivers, problems };
}

export function render(inspection: Inspection, format: Format, io: CliIo, drift?: Parameters<typeof renderText>[2]): string {
  if (format === 'json') return renderJson(inspection, { version: packageVersion() }, drift);
  if (format === 'sarif') return renderSarif(inspection, { version: packageVersion(), cwd: io.cwd ?? process.cwd(), ...(drift ? { drift } : {}) });
  return renderText(inspection, palette(io), drift);
}
