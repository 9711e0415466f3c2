/**
 * `bulwark scan`: a read-only scan of a live cluster through a kubeconfig. Every object of the
 * kinds in policy/scan-resources.ts is listed (get and list only: the ClusterRole of
 * stacks/scanner-role.ts is enough) and checked by the same catalog as `check`; with --blueprint,
 * the cluster is compared with a synthesized blueprint (dist/) for drift (drift.ts). Objects a
 * controller made from a scanned object (a Deployment's ReplicaSets and Pods) are judged through
 * their owner. The kubeconfig is read by @kubernetes/client-node (contexts, certificates, tokens,
 * exec plugins); the objects are fetched as the API server's own JSON, field for field.
 */
import * as https from 'https';
import * as http from 'http';
import { SCAN_RESOURCES, ScanResource } from '../policy/scan-resources';
import { KubeObject } from '../policy/types';
import { CliIo, CliResult, CommandSpec, helpText, ok, parseCommand, str, usageError } from './args';
import { CHECK, FORMATS, Format, formatOf, policySettings, render } from './check';
import { compare, identity, ownedByScannedController } from './drift';
import { allFindings, Inspection, inspect, readInputs } from './inspect';
import { formatProblem } from './output';

export const SCAN: CommandSpec = {
  name: 'scan',
  args: '',
  summary: 'Scan a live cluster, read-only, with the rule catalog: every namespace, workload, role, binding, policy and Service. With --blueprint, also report drift from a synthesized blueprint: objects the cluster holds that it does not declare (in its namespaces), declared objects that are missing, and fields that differ in ways that weaken security.',
  options: {
    kubeconfig: { type: 'string', value: 'FILE', help: 'kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)' },
    context: { type: 'string', value: 'NAME', help: 'kubeconfig context (default: the current one)' },
    blueprint: { type: 'string', value: 'DIR', help: 'a synthesized blueprint (dist/) to compare the cluster with' },
    format: CHECK.options.format,
    pack: CHECK.options.pack,
    'kubernetes-version': CHECK.options['kubernetes-version'],
    'min-severity': CHECK.options['min-severity'],
    'trusted-registry': CHECK.options['trusted-registry'],
  },
  details: [
    'Needs only get and list: apply the ClusterRole `npx ts-node stacks/scanner-role.ts GROUP` prints and',
    'scan as a member of GROUP. Secrets are never read.',
    '',
    'exit codes: 0 nothing to fix and no drift; 1 unwaived findings or drift; 2 bad usage, an unreadable',
    'kubeconfig or blueprint, or an API request that failed (a list the user may not make is named).',
  ].join('\n'),
};

export class ClusterError extends Error {}

/** A cluster to list objects from; the real one speaks HTTPS through a kubeconfig. */
export interface ClusterReader {
  /** Every object of a resource, cluster-wide; undefined when the API is not served (404). */
  list(resource: ScanResource): Promise<KubeObject[] | undefined>;
  readonly server: string;
}

/** A reader for the kubeconfig's current (or named) context. */
export async function kubeconfigReader(file: string | undefined, context: string | undefined): Promise<ClusterReader> {
  // ESM-only; loaded at run time so that `check` and the tests never need it.
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (context) kc.setCurrentContext(context);
  } catch (e) {
    throw new ClusterError(`cannot read the kubeconfig${file ? ` ${file}` : ''}: ${(e as Error).message}`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterError(`the kubeconfig${file ? ` ${file}` : ''} has no cluster for context "${kc.getCurrentContext()}"`);
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const server = cluster.server.replace(/\/$/, '');
  const get = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(`${server}${path}`);
    const lib = url.protocol === 'http:' ? http : https;
    const req = lib.request(url, { ...options, method: 'GET', headers: { ...(options.headers ?? {}), Accept: 'application/json' }, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${server} within 60 s`)));
    req.on('error', reject);
    req.end();
  });
  return {
    server,
    async list(r: ScanResource): Promise<KubeObject[] | undefined> {
      const base = r.group === '' ? `/api/${r.version}/${r.resource}` : `/apis/${r.group}/${r.version}/${r.resource}`;
      const items: KubeObject[] = [];
      let next = '';
      do {
        let res;
        try {
          res = await get(`${base}?limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`);
        } catch (e) {
          throw new ClusterError(`cannot reach ${server}: ${(e as Error).message}`);
        }
        if (res.status === 404 && r.optional) return undefined;
        if (res.status === 401) throw new ClusterError(`${server} refused the kubeconfig's credentials (401)`);
        if (res.status === 403) throw new ClusterError(`the kubeconfig's user may not list ${r.resource}${r.group ? `.${r.group}` : ''} (403): bind it to the scanner ClusterRole (stacks/scanner-role.ts)`);
        if (res.status !== 200) throw new ClusterError(`listing ${r.resource} failed: ${res.status} ${res.body.slice(0, 200)}`);
        const list = JSON.parse(res.body);
        const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
        for (const item of list.items ?? []) items.push(liveObject(item, apiVersion, r.kind));
        next = list.metadata?.continue ?? '';
      } while (next);
      return items;
    },
  };
}

/** A listed item as the object it is: apiVersion and kind restored, bookkeeping dropped. */
export function liveObject(item: any, apiVersion: string, kind: string): KubeObject {
  const { managedFields: _m, ...metadata } = item.metadata ?? {};
  const { status: _s, ...rest } = item;
  return { ...rest, apiVersion, kind, metadata };
}

export interface ScanData {
  readonly objects: KubeObject[];
  /** Resources the cluster does not serve (optional CRDs). */
  readonly notServed: string[];
}

/** Lists every scanned resource. */
export async function readCluster(reader: ClusterReader): Promise<ScanData> {
  const objects: KubeObject[] = [];
  const notServed: string[] = [];
  for (const r of SCAN_RESOURCES) {
    const items = await reader.list(r);
    if (items === undefined) notServed.push(`${r.resource}.${r.group}`);
    else objects.push(...items);
  }
  return { objects, notServed };
}

export async function runScan(argv: readonly string[], io: CliIo = {}, reader?: ClusterReader): Promise<CliResult> {
  const now = io.now ?? new Date();
  let parsed;
  try {
    parsed = parseCommand(SCAN, argv);
  } catch (e) {
    return usageError(SCAN, (e as Error).message);
  }
  if (parsed === 'help') return ok(helpText(SCAN));
  if (parsed.positionals.length > 0) return usageError(SCAN, `scan takes no arguments (the cluster comes from the kubeconfig): "${parsed.positionals[0]}"`);
  const format = formatOf(parsed);
  if (!(FORMATS as readonly string[]).includes(format)) return usageError(SCAN, format);
  const settings = policySettings(parsed, now);
  if (typeof settings === 'string') return usageError(SCAN, settings);

  const blueprintDir = str(parsed, 'blueprint');
  const blueprint = blueprintDir ? readInputs([blueprintDir]) : undefined;
  if (blueprint && blueprint.problems.length > 0) return { code: 2, stdout: '', stderr: [...blueprint.problems.map(formatProblem), `bulwark: the blueprint ${blueprintDir} cannot be read as Kubernetes objects`].join('\n') };
  if (blueprint && blueprint.objects.length === 0) return { code: 2, stdout: '', stderr: `bulwark: no Kubernetes objects in the blueprint ${blueprintDir}` };

  let data: ScanData;
  try {
    const cluster = reader ?? await kubeconfigReader(str(parsed, 'kubeconfig') ?? io.env?.KUBECONFIG?.split(':')[0], str(parsed, 'context'));
    data = await readCluster(cluster);
  } catch (e) {
    if (e instanceof ClusterError) return { code: 2, stdout: '', stderr: `bulwark: ${e.message}` };
    throw e;
  }
  // A controller's objects are checked through their owner (a Deployment, not its ReplicaSets and Pods).
  const checked = data.objects.filter((o) => !ownedByScannedController(o));
  // Where the blueprint declares a live object, findings point at the blueprint's file and line.
  const declaredAt = new Map((blueprint?.objects ?? []).map((d) => [identity(d.object), { file: d.file, line: d.line }]));
  const result = inspect(checked.map((object) => ({ object, ...(declaredAt.has(identity(object)) ? { source: declaredAt.get(identity(object))! } : {}) })), { ...settings, now });
  const inspection: Inspection = { ...result, problems: [], skipped: [...result.skipped, ...data.notServed.map((r) => ({ rule: `(${r})`, reason: 'the cluster does not serve this API, so no such object was read' }))] };
  const drift = blueprint ? compare(blueprint.objects.map((d) => ({ object: d.object, source: { file: d.file, line: d.line } })), data.objects) : undefined;
  const stdout = render(inspection, format as Format, { ...io, cwd: io.cwd ?? process.cwd() }, drift);
  const unwaived = allFindings(inspection).filter((f) => !f.waiver).length;
  return { code: unwaived > 0 || (drift?.length ?? 0) > 0 ? 1 : 0, stdout, stderr: '' };
}
