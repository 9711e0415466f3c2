/**
 * Argument parsing for every `bulwark` command: node:util parseArgs (strict, so an unknown or
 * misspelt option is an error, not ignored), one help text per command built from its options,
 * and the result every command returns.
 */
import { parseArgs } from 'node:util';

export interface CliResult { code: number; stdout: string; stderr: string }

/** What a command may read besides its arguments: injected by tests, the process's otherwise. */
export interface CliIo {
  /** The clock waivers expire against. */
  readonly now?: Date;
  /** Reads all of standard input (for the "-" argument). */
  readonly readStdin?: () => string;
  /** stdout is a terminal: colour is used only then (and never with NO_COLOR set). */
  readonly isTTY?: boolean;
  /** Environment variables (NO_COLOR, KUBECONFIG). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are shown against (SARIF's %SRCROOT%). */
  readonly cwd?: string;
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Shown in help: the value's name, e.g. "FILE". */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** e.g. "FILE|DIR|-..." */
  readonly args: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs after the options: exit codes, examples. */
  readonly details?: string;
}

export class UsageError extends Error {}

export type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

/** Parses argv for `spec`; returns 'help' when --help or -h was given. Throws UsageError. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): Parsed | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError(`${spec.name}: ${plain((e as Error).message)}`);
  }
  if (parsed.values.help) return 'help';
  return parsed;
}

/** parseArgs' messages name its own API; say it in the command's terms. */
function plain(message: string): string {
  return message
    .replace(/\. To specify an option argument starting with a dash use --[^.]+\.?/, '')
    .replace(/To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "[^"]*"\.?/, '')
    .trim();
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, `${o.help}${o.multiple ? ' (repeatable)' : ''}`] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `usage: bulwark ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
    ...(spec.details ? ['', spec.details] : []),
  ].join('\n');
}

export function ok(stdout: string): CliResult {
  return { code: 0, stdout, stderr: '' };
}

export function usageError(spec: CommandSpec | undefined, problem: string): CliResult {
  return { code: 2, stdout: '', stderr: `bulwark: ${problem}${spec ? `\nrun "bulwark ${spec.name} --help" for usage` : ''}` };
}

/** A string option's single value (parseArgs gives the last when repeated without `multiple`). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/** Colour codes, only for a terminal without NO_COLOR (https://no-color.org). */
export function palette(io: CliIo) {
  const on = io.isTTY === true && !io.env?.NO_COLOR;
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { on, bold: wrap('1'), dim: wrap('2'), red: wrap('31'), yellow: wrap('33'), blue: wrap('34'), magenta: wrap('35'), green: wrap('32'), cyan: wrap('36') };
}
export type Palette = ReturnType<typeof palette>;
