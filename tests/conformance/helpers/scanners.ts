/**
 * The scanners users already trust, run on every synthesized stack with every check enabled.
 * Binaries come from tools/build.sh (Go module proxy, or PyPI for Checkov) in ~/.cache/bulwark.
 * Trivy runs offline with the checks embedded in its pinned release (see trivy()).
 * A finding passes only when a Bulwark Waiver on that object names a rule whose references cite
 * the tool's own check id.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { toYamlStream } from '../../../constructs/manifest-yaml';
import { CATALOG_BY_ID, KubeObject, readWaivers, WaiverSpec } from '../../../policy';
import { BulwarkApp, BulwarkChart } from '../../../constructs';
import { referenceClusters } from '../../../stacks/app';
import { binDir, readVersions } from '../../e2e/helpers/harness/toolchain';

export interface ScanFinding {
  readonly tool: string;
  readonly check: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly message: string;
  /** Set when a Bulwark waiver on the object covers this check. */
  readonly waiver?: WaiverSpec;
}

export interface ScanReport {
  readonly tool: string;
  readonly version: string;
  /** Distinct checks the tool ran (kube-score, Checkov) or questions it answered (netpol). */
  readonly checksRun: number;
  readonly findings: ScanFinding[];
}

export interface SynthesizedStack {
  readonly name: string;
  readonly dir: string;
  readonly objects: KubeObject[];
  readonly connections: ReturnType<typeof declaredEdges>;
}

/** The checkov console script inside its venv in the cache. */
export function checkovPath(): string {
  const v = readVersions();
  return path.join(path.dirname(binDir()), `checkov-${v.CHECKOV_VERSION}`, 'bin', 'checkov');
}

/**
 * Every reference cluster written as its dist/<cluster>/ folder is (one file per chart), into its
 * own temp directory: the scanners see a cluster as a user runs them on it, so a namespace of the
 * platform and the pods of the teams are judged together.
 */
export function synthesizeStacks(): SynthesizedStack[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-conformance-'));
  return referenceClusters().map((cluster) => {
    const dir = path.join(root, cluster.name);
    fs.mkdirSync(dir);
    const charts = cluster.synthesizeCharts();
    // Written as dist/ is (npm run synth): the scanners read YAML 1.1, where an unquoted yes is a boolean.
    for (const c of charts) fs.writeFileSync(path.join(dir, `${c.chart.node.id}.k8s.yaml`), toYamlStream(c.objects.map((o) => o.json)));
    return { name: cluster.name, dir, objects: charts.flatMap((c) => c.objects.map((o) => o.json)), connections: declaredEdges(cluster) };
  });
}

/** Waiver of the object that maps to `tool`'s `check` through a rule's references. */
export function waiverFor(tool: string, check: string, kind: string, namespace: string | undefined, name: string, objects: readonly KubeObject[]): WaiverSpec | undefined {
  const object = objects.find((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? undefined) === (namespace || undefined));
  if (!object) return undefined;
  return readWaivers(object).waivers.find((w) => (CATALOG_BY_ID.get(w.rule)?.references ?? [])
    .filter((r) => r.source.toLowerCase() === tool.toLowerCase())
    .some((r) => r.id.split(/\s*[,/]\s*/).map((x) => x.trim()).includes(check)));
}

export function kubeScore(stack: SynthesizedStack): ScanReport {
  const bin = path.join(binDir(), 'kube-score');
  const tests = execFileSync(bin, ['list'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(','));
  const optional = tests.filter((t) => t[3] === 'optional').flatMap((t) => ['--enable-optional-test', t[0]]);
  const files = fs.readdirSync(stack.dir).map((f) => path.join(stack.dir, f));
  const run = spawnSync(bin, ['score', ...optional, '--output-format', 'json', ...files], { encoding: 'utf8' });
  const results = JSON.parse(run.stdout) as any[];
  const findings: ScanFinding[] = [];
  for (const o of results) {
    for (const c of o.checks ?? []) {
      if (c.skipped || c.grade >= 10) continue;
      const kind = o.type_meta.kind; const namespace = o.object_meta.namespace; const name = o.object_meta.name;
      const message = (c.comments ?? []).map((x: any) => `${x.summary}${x.description ? `: ${x.description}` : ''}`).join('; ') || c.check.comment;
      findings.push({ tool: 'kube-score', check: c.check.id, kind, namespace, name, message, waiver: waiverFor('kube-score', c.check.id, kind, namespace, name, stack.objects) });
    }
  }
  return { tool: 'kube-score', version: readVersions().KUBE_SCORE_VERSION, checksRun: tests.length, findings };
}

export function checkov(stack: SynthesizedStack): ScanReport {
  const bin = checkovPath();
  const run = spawnSync(bin, ['-d', stack.dir, '--framework', 'kubernetes', '-o', 'json', '--skip-download', '--compact'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parsed = JSON.parse(run.stdout);
  const report = Array.isArray(parsed) ? parsed.find((r: any) => r.check_type === 'kubernetes') : parsed;
  const failed = report?.results?.failed_checks ?? [];
  const passed = report?.results?.passed_checks ?? [];
  const findings = failed.map((f: any): ScanFinding => {
    const [kind, namespace, ...rest] = String(f.resource).split('.');
    const name = rest.join('.');
    return { tool: 'Checkov', check: f.check_id, kind, namespace, name, message: f.check_name, waiver: waiverFor('Checkov', f.check_id, kind, namespace, name, stack.objects) };
  });
  const checks = new Set([...failed, ...passed].map((c: any) => c.check_id));
  return { tool: 'Checkov', version: readVersions().CHECKOV_VERSION, checksRun: checks.size, findings };
}

/** Trivy's own cache beside bin/: never ~/.cache/trivy, where a downloaded checks bundle could sit. */
export function trivyCacheDir(): string {
  return path.join(path.dirname(binDir()), 'trivy-cache');
}

/**
 * `trivy config` (its Kubernetes misconfiguration checks, KSV ids) on the stack's directory,
 * offline: --skip-check-update with an empty cache of our own means the checks embedded in the
 * pinned release, and nothing is fetched (v0.57.1's config command has no vulnerability DB, so
 * no --skip-db-update / --offline-scan to give it). It runs in the stack's directory so that no
 * .trivyignore or trivy.yaml of the caller's working directory can hide a finding, and with
 * --include-non-failures so that the checks that passed are counted too.
 */
export function trivy(stack: SynthesizedStack): ScanReport {
  const cacheDir = trivyCacheDir();
  fs.mkdirSync(cacheDir, { recursive: true });
  // Only our TRIVY_* settings: none of the caller's (a TRIVY_CHECKS_BUNDLE_REPOSITORY, a TRIVY_SEVERITY) applies.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRIVY_')));
  Object.assign(env, { TRIVY_SKIP_CHECK_UPDATE: 'true', TRIVY_NO_PROGRESS: 'true', TRIVY_CACHE_DIR: cacheDir });
  const run = spawnSync(path.join(binDir(), 'trivy'), ['config', '--skip-check-update', '--cache-dir', cacheDir,
    '--module-dir', path.join(cacheDir, 'modules'), '--misconfig-scanners', 'kubernetes', '--include-non-failures',
    '--format', 'json', '--quiet', '--exit-code', '0', '.'], { cwd: stack.dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`trivy config failed (${run.status ?? run.signal}): ${run.stderr}`);
  const results = (JSON.parse(run.stdout).Results ?? []) as any[];
  const checks = new Set<string>();
  const findings: ScanFinding[] = [];
  for (const r of results) {
    // Trivy reports file lines; the object is the YAML document of the file that holds the finding.
    const docs = documentsOf(path.join(stack.dir, r.Target));
    for (const m of r.Misconfigurations ?? []) {
      checks.add(m.ID);
      if (m.Status !== 'FAIL') continue;
      const doc = docs.find((d) => m.CauseMetadata?.StartLine >= d.start && m.CauseMetadata?.StartLine <= d.end) ?? (docs.length === 1 ? docs[0] : undefined);
      if (!doc) throw new Error(`trivy: cannot place ${m.ID} at ${r.Target}:${m.CauseMetadata?.StartLine} in a document`);
      const kind = String(doc.object.kind); const namespace = doc.object.metadata?.namespace; const name = String(doc.object.metadata?.name);
      findings.push({ tool: 'Trivy', check: m.ID, kind, namespace, name, message: m.Message || m.Title, waiver: waiverFor('Trivy', m.ID, kind, namespace, name, stack.objects) });
    }
  }
  return { tool: 'Trivy', version: readVersions().TRIVY_VERSION, checksRun: checks.size, findings };
}

/** The YAML documents of a file with their 1-based line ranges, split as Trivy splits them. */
function documentsOf(file: string): { start: number; end: number; object: KubeObject }[] {
  const parts = fs.readFileSync(file, 'utf8').split(/^---\r?\n/m);
  const out: { start: number; end: number; object: KubeObject }[] = [];
  let line = 1;
  for (const part of parts) {
    const lines = part.split('\n').length;
    const object = yaml.load(part) as KubeObject | undefined;
    if (object) out.push({ start: line, end: line + lines - 1, object });
    line += lines;
  }
  return out;
}

export interface Connectivity {
  /** "src -> dst conn" in netpol-analyzer's notation, sorted. */
  readonly connections: string[];
  readonly ingressExposure: string[];
  readonly egressExposure: string[];
}

export function netpol(stack: SynthesizedStack): Connectivity {
  const run = spawnSync(path.join(binDir(), 'netpolicy'), ['list', '--dirpath', stack.dir, '-o', 'json', '--exposure'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`netpolicy failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout);
  const fmt = (c: any) => `${c.src} -> ${c.dst} ${c.conn}`;
  return {
    connections: (out.connlist_results ?? []).map(fmt).sort(),
    ingressExposure: (out.exposure_results?.ingress_exposure ?? []).map(fmt).sort(),
    egressExposure: (out.exposure_results?.egress_exposure ?? []).map(fmt).sort(),
  };
}

/** The connections the stack's constructs declared, in netpol-analyzer's notation. */
export function declaredEdges(cluster: BulwarkApp): { connections: string[]; ingressExposure: string[]; egress: string[] } {
  const endpoint = (e: any) => (e.workload ? `${e.namespace}/${e.workload.name}[${e.workload.kind}]`
    : `${e.namespace}/[pod with {${Object.entries(e.podLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}}]`);
  const connections: string[] = [];
  const ingressExposure: string[] = [];
  const egress: string[] = [];
  for (const c of cluster.charts.flatMap((chart) => (chart as BulwarkChart).declaredConnections ?? [])) {
    const line = `${endpoint(c.from)} -> ${c.to.cidr ?? endpoint(c.to)} ${c.protocol} ${c.port}`;
    if (c.to.cidr) egress.push(line);
    else if (c.from.workload && c.to.workload) connections.push(line);
    else ingressExposure.push(line);
  }
  return { connections: connections.sort(), ingressExposure: ingressExposure.sort(), egress: egress.sort() };
}
