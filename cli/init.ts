/**
 * `bulwark init TEMPLATE [DIR]`: writes a ready project from templates/<TEMPLATE> (plus the files
 * every template shares, templates/_shared) that installs, synthesizes and passes its own tests
 * on the first run. Everything is validated before anything is written; a directory that is not
 * empty is refused unless --force, which names every file it replaces. It prompts only for what
 * has no default (the template, and the name when the directory's name cannot give one), only
 * when stdin is a terminal, and never with --yes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'node:readline';
import { assertSupportedVersion, DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { CliResult, CommandSpec, helpText, parseCommand, str, usageError } from './args';
import { packageRoot } from './package-paths';

export interface InitIo {
  /** Where relative directories are resolved. @default process.cwd() */
  readonly cwd?: string;
  /** Answers to prompts. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  /** Where prompts are written. @default process.stderr (stdout stays the result) */
  readonly promptOutput?: NodeJS.WritableStream;
  /** Whether a person can answer prompts. @default stdin is a TTY */
  readonly interactive?: boolean;
}

/** Bulwark derives object names from the app's (`<name>-tls`, CronJob Job names, StatefulSet pods): 63 less room for those. */
export const MAX_APP_NAME_LENGTH = 40;
/** The placeholder digest: a valid pin that no registry serves, to be replaced by the released image's. */
export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

const SHARED = '_shared';
/** Names npm would drop or mangle in a package, stored without their dot. */
const DOT_NAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore', github: '.github' };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A registry host (optionally :port) and path, lower case, as OCI distribution allows. */
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9]+([._-][a-z0-9]+)*)*(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/;

export class InitError extends Error {}

export interface TemplateInfo {
  readonly name: string;
  readonly description: string;
  /** A paragraph for the project's README; may use the same {{placeholders}} as the files. */
  readonly notes: string;
  /** The namespace when --namespace is not given; {{name}} is the app's name. @default "{{name}}" */
  readonly namespace: string;
}

export function listTemplates(root: string = packageRoot()): TemplateInfo[] {
  const dir = path.join(root, 'templates');
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && fs.existsSync(path.join(dir, e.name, 'template.json')))
    .map((e) => {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, e.name, 'template.json'), 'utf8'));
      return { name: e.name, description: String(meta.description), notes: String(meta.notes ?? ''), namespace: String(meta.namespace ?? '{{name}}') };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A Kubernetes name (RFC 1123 label): what is wrong with it, or undefined. */
export function dnsLabelProblem(value: string, maxLength = 63): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > maxLength) return `is ${value.length} characters long; at most ${maxLength}`;
  if (!DNS_LABEL.test(value)) return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit (RFC 1123 label)';
  return undefined;
}

/** The name a directory suggests: its basename made a valid label, or undefined. */
export function nameFromDirectory(dir: string): string | undefined {
  const base = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_APP_NAME_LENGTH).replace(/-+$/, '');
  return dnsLabelProblem(base, MAX_APP_NAME_LENGTH) === undefined ? base : undefined;
}

export interface InitOptions {
  readonly template: string;
  readonly dir: string;
  readonly name: string;
  readonly namespace: string;
  readonly registry: string;
  readonly image: string;
  readonly digest: string;
  readonly host: string;
  readonly kubernetesVersion: string;
  /** The dependency on Bulwark in the project's package.json: a version range or a file: path. */
  readonly bulwarkSpec: string;
}

/** Every value checked before anything is written; throws InitError naming the option and the fix. */
export function validate(o: InitOptions, templates: readonly TemplateInfo[]): void {
  const fail = (msg: string) => { throw new InitError(msg); };
  if (!templates.some((t) => t.name === o.template)) fail(`unknown template "${o.template}": use ${templates.map((t) => t.name).join(', ')}`);
  const nameProblem = dnsLabelProblem(o.name, MAX_APP_NAME_LENGTH);
  if (nameProblem) fail(`--name "${o.name}" ${nameProblem}${o.name.length > MAX_APP_NAME_LENGTH ? ' (Bulwark derives longer object names from it)' : ''}`);
  const nsProblem = dnsLabelProblem(o.namespace);
  if (nsProblem) fail(`--namespace "${o.namespace}" ${nsProblem}`);
  if (o.namespace === 'default' || o.namespace.startsWith('kube-')) fail(`--namespace "${o.namespace}" is a system namespace; workloads get their own IsolatedNamespace (rule namespaces/no-default-namespace)`);
  if (!REPOSITORY.test(o.registry)) fail(`--registry "${o.registry}" is not a registry host or host/path, e.g. registry.example.com/team`);
  if (!REPOSITORY.test(o.image)) fail(`--image "${o.image}" is not an image repository, e.g. ${o.registry}/${o.name} (lower case, optionally @sha256:<digest>)`);
  if (o.image !== o.registry && !o.image.startsWith(`${o.registry}/`)) fail(`--image "${o.image}" is not in --registry "${o.registry}", the only registry the stack trusts (rule images/trusted-registry)`);
  if (!/^sha256:[a-f0-9]{64}$/.test(o.digest)) fail(`the image digest "${o.digest}" is not sha256: followed by 64 lower-case hex digits (rule images/digest-pinned)`);
  if (o.host.length > 253 || !DNS_SUBDOMAIN.test(o.host)) fail(`--host "${o.host}" is not a DNS name, e.g. ${o.name}.example.com`);
  try {
    assertSupportedVersion(o.kubernetesVersion, new Date(), '--kubernetes-version');
  } catch (e) {
    fail(`--kubernetes-version "${o.kubernetesVersion}": ${(e as Error).message}`);
  }
  if (o.bulwarkSpec.trim() === '') fail('--bulwark is empty: give a version range, a tarball or a directory');
}

/** The files of a project: path relative to the project -> content. Throws on a placeholder left unfilled. */
export function renderTemplate(o: InitOptions, root: string = packageRoot()): Map<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const meta = listTemplates(root).find((t) => t.name === o.template);
  if (!meta) throw new InitError(`unknown template "${o.template}"`);
  const versions: Record<string, string> = { ...own.devDependencies, ...own.dependencies, ...own.peerDependencies };
  const values: Record<string, string> = {
    template: o.template, name: o.name, namespace: o.namespace, registry: o.registry, image: o.image, digest: o.digest,
    host: o.host, kubernetesVersion: o.kubernetesVersion, bulwarkPackage: own.name, bulwarkSpec: o.bulwarkSpec,
    description: meta.description,
  };
  const lookup = (key: string, file: string): string => {
    const v = key.startsWith('version:') ? versions[key.slice('version:'.length)] : values[key];
    if (v === undefined) throw new Error(`templates/${o.template}: ${file} has the unknown placeholder {{${key}}}`);
    return v;
  };
  const fill = (text: string, file: string, escape: (s: string) => string = (s) => s) =>
    text.replace(/\{\{([A-Za-z0-9:@/._-]+)\}\}/g, (_, key: string) => escape(lookup(key, file)));
  values.notes = fill(meta.notes, 'template.json');
  const files = new Map<string, string>();
  for (const source of [SHARED, o.template]) {
    const base = path.join(root, 'templates', source);
    for (const rel of walk(base)) {
      if (source !== SHARED && rel === 'template.json') continue;
      const text = fs.readFileSync(path.join(base, rel), 'utf8');
      const escape = /\.(json|ya?ml)$/.test(rel) ? (s: string) => JSON.stringify(s).slice(1, -1) : (s: string) => s;
      const out = rel.split('/').map((seg, i) => (i === 0 ? DOT_NAMES[seg] ?? seg : seg)).join('/');
      files.set(out, fill(text, rel, escape));
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel];
  });
}

/** Writes the files into dir: refuses a non-empty directory unless force; returns the files it replaced. */
export function writeProject(dir: string, files: ReadonlyMap<string, string>, force: boolean): string[] {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new InitError(`${dir} exists and is not a directory`);
  // A repository just created (only .git in it) counts as empty.
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((e) => e !== '.git') : [];
  if (present.length > 0 && !force) {
    const shown = present.sort().slice(0, 5).join(', ') + (present.length > 5 ? `, ... (${present.length} entries)` : '');
    throw new InitError(`${dir} is not empty (${shown}): choose an empty or new directory, or pass --force to write into it (files of the template that exist are replaced, and listed)`);
  }
  const replaced: string[] = [];
  for (const rel of files.keys()) {
    const target = path.join(dir, rel);
    if (!fs.existsSync(target)) continue;
    if (!fs.statSync(target).isFile()) throw new InitError(`${target} exists and is not a file: nothing was written`);
    replaced.push(rel);
  }
  for (const [rel, text] of files) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return replaced;
}

/** `bulwark init`'s options and help (the template list is added when help is shown). */
export const INIT: CommandSpec = {
  name: 'init',
  args: 'TEMPLATE [DIR]',
  summary: 'Write a project (stack, tests, cdk8s.yaml, Pulumi.yaml, CI workflow) from a template into DIR (default: the current directory), which must be empty (a .git alone is fine) unless --force. It asks only for what has no default, and only on a terminal.',
  options: {
    name: { type: 'string', value: 'NAME', help: `the app's name, an RFC 1123 label of at most ${MAX_APP_NAME_LENGTH} characters (default: from DIR)` },
    namespace: { type: 'string', value: 'NAME', help: 'its IsolatedNamespace (default: the name; platform-cluster: its first team\'s, "apps")' },
    registry: { type: 'string', value: 'HOST[/PATH]', help: 'the only registry images may come from (default: registry.example.com/NAME)' },
    image: { type: 'string', value: 'REPO[@sha256:HEX]', help: 'the image (default: REGISTRY/NAME, pinned to a placeholder digest to replace)' },
    host: { type: 'string', value: 'HOST', help: 'the public host name of a web-service (default: NAME.example.com)' },
    'kubernetes-version': { type: 'string', value: 'X.Y', help: `the cluster's minor (default: ${DEFAULT_KUBERNETES_VERSION})` },
    bulwark: { type: 'string', value: 'SPEC', help: 'the dependency on Bulwark: a version range, a tarball or a directory (default: this version)' },
    yes: { type: 'boolean', short: 'y', help: 'ask nothing: use the defaults, fail on what has none' },
    force: { type: 'boolean', short: 'f', help: 'write into a non-empty DIR, replacing (and listing) the files the template has' },
  },
};

export function initHelp(templates: readonly TemplateInfo[] = listTemplates()): string {
  const width = Math.max(...templates.map((t) => t.name.length)) + 2;
  return `${helpText(INIT)}\n\ntemplates:\n${templates.map((t) => `  ${t.name.padEnd(width)}${t.description}`).join('\n')}`;
}

function ownPackage(): { name: string; version: string } {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
}

/** `bulwark init ARGS`. Resolves with the exit code and output, never rejects. */
export async function init(argv: readonly string[], io: InitIo = {}): Promise<CliResult> {
  let templates: TemplateInfo[] = [];
  let rl: readline.Interface | undefined;
  try {
    templates = listTemplates();
    const parsed = parseCommand(INIT, argv);
    if (parsed === 'help') return { code: 0, stdout: initHelp(templates), stderr: '' };
    const positionals = parsed.positionals;
    const v = {
      name: str(parsed, 'name'), namespace: str(parsed, 'namespace'), registry: str(parsed, 'registry'), image: str(parsed, 'image'),
      host: str(parsed, 'host'), 'kubernetes-version': str(parsed, 'kubernetes-version'), bulwark: str(parsed, 'bulwark'),
      yes: parsed.values.yes === true, force: parsed.values.force === true,
    };
    if (positionals.length > 2) throw new InitError(`too many arguments: ${positionals.slice(2).join(' ')}`);
    const cwd = io.cwd ?? process.cwd();
    const stdin = io.stdin ?? process.stdin;
    const interactive = !v.yes && (io.interactive ?? (stdin as { isTTY?: boolean }).isTTY === true);
    // One reader for every question, keeping lines that arrive before their question is asked
    // (answers piped or typed ahead), which readline alone would drop.
    const answers: string[] = [];
    let waiting: ((line: string | undefined) => void) | undefined;
    let closed = false;
    const ask = async (question: string): Promise<string> => {
      if (!rl) {
        rl = readline.createInterface({ input: stdin, terminal: false });
        rl.on('line', (line) => { if (waiting) { waiting(line); waiting = undefined; } else answers.push(line); });
        rl.on('close', () => { closed = true; waiting?.(undefined); waiting = undefined; });
      }
      (io.promptOutput ?? process.stderr).write(question);
      const line = answers.length > 0 ? answers.shift() : closed ? undefined : await new Promise<string | undefined>((res) => { waiting = res; });
      if (line === undefined) throw new InitError(`no answer to "${question.trim()}" (stdin closed)`);
      return line.trim();
    };

    let template = positionals[0];
    if (template === undefined) {
      if (!interactive) throw new InitError(`name a template: ${templates.map((t) => t.name).join(', ')}`);
      const menu = templates.map((t, i) => `  ${i + 1}. ${t.name.padEnd(18)} ${t.description}`).join('\n');
      const answer = await ask(`Templates:\n${menu}\nTemplate (name or number): `);
      template = templates[Number(answer) - 1]?.name ?? answer;
    }
    if (!templates.some((t) => t.name === template)) throw new InitError(`unknown template "${template}": use ${templates.map((t) => t.name).join(', ')}`);
    const dir = path.resolve(cwd, positionals[1] ?? '.');

    let name = v.name ?? nameFromDirectory(dir);
    if (name === undefined) {
      if (!interactive) throw new InitError(`the directory name "${path.basename(dir)}" gives no Kubernetes name: pass --name NAME`);
      name = await ask(`App name (lower-case letters, digits, "-"; at most ${MAX_APP_NAME_LENGTH}): `);
    }
    const registry = v.registry ?? `registry.example.com/${name}`;
    const [image, digest] = (v.image ?? `${registry}/${name}`).split('@');
    const options: InitOptions = {
      template, dir, name,
      namespace: v.namespace ?? templates.find((t) => t.name === template)!.namespace.replace(/\{\{name\}\}/g, name),
      registry,
      image,
      digest: digest ?? PLACEHOLDER_DIGEST,
      host: v.host ?? `${name}.example.com`,
      kubernetesVersion: v['kubernetes-version'] ?? DEFAULT_KUBERNETES_VERSION,
      bulwarkSpec: bulwarkSpec(v.bulwark, cwd),
    };
    validate(options, templates);
    const files = renderTemplate(options);
    const replaced = writeProject(dir, files, v.force);
    const shown = path.relative(cwd, dir) || '.';
    return {
      code: 0,
      stdout: [
        `Wrote ${files.size} files of template ${template} for "${name}" (namespace ${options.namespace}) into ${shown}:`,
        ...[...files.keys()].map((f) => `  ${f}${replaced.includes(f) ? '   (replaced)' : ''}`),
        ...(replaced.length > 0 ? [`Replaced ${replaced.length} existing ${replaced.length === 1 ? 'file' : 'files'}: ${replaced.join(', ')}`] : []),
        ...(files.get('src/app.ts')?.includes(PLACEHOLDER_DIGEST) ? [`The image is pinned to a placeholder digest: set IMAGE in src/app.ts to ${image}@<your digest> before deploying.`] : []),
        '',
        'Next:',
        ...(shown === '.' ? [] : [`  cd ${shown}`]),
        '  npm install',
        '  npm run synth && npm test && npx bulwark check dist/',
      ].join('\n'),
      stderr: '',
    };
  } catch (e) {
    const message = (e as Error).message;
    return usageError(INIT, message.startsWith('init: ') ? message : `init: ${message}`);
  } finally {
    rl?.close();
  }
}

/** --bulwark: a path on disk (tarball or directory) becomes an absolute file: spec; anything else is kept. */
function bulwarkSpec(given: string | undefined, cwd: string): string {
  if (given === undefined) return `^${ownPackage().version}`;
  const asPath = given.startsWith('file:') ? given.slice('file:'.length) : given;
  const resolved = path.resolve(cwd, asPath);
  if (given.startsWith('file:') || /^(\.{0,2}\/|~)/.test(given) || fs.existsSync(resolved)) {
    if (!fs.existsSync(resolved)) throw new InitError(`--bulwark ${given}: ${resolved} does not exist`);
    return `file:${resolved}`;
  }
  return given;
}
