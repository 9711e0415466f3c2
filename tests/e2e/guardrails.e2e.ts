/**
 * The cluster guardrails on the real API server. Every guardrail is a rule of the catalog with a
 * CEL admission form beside its TypeScript check (policy/admission.ts compiles them); here the API
 * server evaluates that CEL, never a re-implementation of it:
 *
 * - every rule fixture (tests/fixtures, subject plus context, in namespaces of its own) is judged
 *   by the guardrails, created as a dry run (or, when its context holds the object's current
 *   state, applied over that state), and by the engine: the verdicts must be the same, and a
 *   refusal must come from a rule the engine flags;
 * - every object of every shipped stack, and a Pod from every pod template, is admitted on CREATE
 *   and UPDATE by the stacks' own guardrails;
 * - waivers are honoured as the engine honours them, expiry included (the API server's time on
 *   CREATE, the clock ConfigMap on UPDATE), and the known limits are pinned: the cluster reads
 *   only the CEL-readable form.
 */
import { CATALOG, CATALOG_BY_ID, evaluate, KubeObject, podSpecOf } from '../../policy';
import {
  CLOCK_CONFIGMAP, clockConfigMap, clockDate, compileGuardrails, ENVIRONMENT_LABEL, GUARDRAIL_RULE_ANNOTATION, guardrailName, guardrailRules, ValidationAction,
} from '../../policy/admission';
import { dedicatedPoolGuardrail } from '../../policy/rules/nodes/dedicated-pool-toleration';
import { declaredPools } from '../../policy/rules/nodes/pools';
import { GuardrailSettings, WAIVERS_ANNOTATION, WaiverSpec } from '../../policy/types';
import { writeAdmissionWaivers, writeWaivers } from '../../policy/waivers';
import { propagateWaivers } from '../../constructs/waiver';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { podFromTemplate } from './helpers/kube';
import {
  call, collectionOf, deniedBy, dryRunPost, fixturesDir, installGuardrails, intoFreshNamespaces, loadFixture, Reply, serverApply, sleep, waitForCanary,
} from './helpers/guardrails';
import * as fs from 'fs';
import * as path from 'path';

const GUARDRAILS = guardrailRules(CATALOG);
const GUARDRAIL_IDS = new Set(GUARDRAILS.map((r) => r.id));
/** Every fixture image is under registry.example.com (as in tests/rules.test.ts). */
const TRUSTED = ['registry.example.com'];
const CLOCK_NS = 'bulwark-system';
const DAY = 86_400_000;
const dayFrom = (days: number) => clockDate(new Date(Date.now() + days * DAY));

/** The rule a policy enforces, from its name. */
function ruleOfPolicy(name: string): string | undefined {
  if (name.startsWith('bulwark-dedicated-pool-')) return 'nodes/dedicated-pool-toleration';
  return GUARDRAILS.find((r) => guardrailName(r.id) === name)?.id;
}

/** The guardrails a fixture's cluster has: the catalog's, and one per pool its context declares. */
function guardrailsFor(context: readonly KubeObject[], actions: ValidationAction[] = ['Deny'], extra: Partial<GuardrailSettings> = {}): KubeObject[] {
  const pools = declaredPools(context.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding'));
  const settings: GuardrailSettings = { trustedRegistries: TRUSTED, pools, allowedBindings: [], ...extra };
  const perPool = [...pools].flatMap(([pool, allowed]) => Object.values(dedicatedPoolGuardrail(pool, allowed)));
  return [...compileGuardrails(GUARDRAILS, settings, { validationActions: actions, clockNamespace: CLOCK_NS }), ...perPool];
}

async function ensureNamespace(name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Promise<void> {
  const r = await call('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.status} ${r.body?.message ?? ''}`);
}

async function ensureServiceAccount(namespace: string, name: string): Promise<void> {
  const r = await call(`/api/v1/namespaces/${namespace}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, automountServiceAccountToken: false } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`serviceaccount ${namespace}/${name}: ${r.status} ${r.body?.message ?? ''}`);
}

async function setClock(today: string): Promise<void> {
  const r = await serverApply({ ...clockConfigMap(CLOCK_NS, new Date()), data: { today } }, false);
  if (r.status >= 300) throw new Error(`clock: ${r.status} ${r.body?.message ?? ''}`);
}

/** Admitted (2xx, or 409: the object exists, so admission had admitted it), denied by a guardrail, or something else. */
function verdict(r: Reply): 'admitted' | 'denied' | 'error' {
  if (r.status === 200 || r.status === 201 || r.status === 409) return 'admitted';
  return deniedBy(r) ? 'denied' : 'error';
}

/** The guardrail rules the engine refuses the object by (unwaived findings only). */
function engineRefuses(o: KubeObject, context: readonly KubeObject[] = [], now = new Date()): string[] {
  const findings = evaluate([o], { context, now, trustedRegistries: TRUSTED });
  return [...new Set(findings.filter((f) => !f.waiver && GUARDRAIL_IDS.has(f.ruleId)).map((f) => f.ruleId))];
}

/** Polls `attempt` until `done` says so (policy and params changes reach admission within a few seconds). */
async function eventually<T>(attempt: () => Promise<T>, done: (t: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last = await attempt();
  while (!done(last) && Date.now() < end) {
    await sleep(250);
    last = await attempt();
  }
  return last;
}

function withWaivers(o: KubeObject, waivers: readonly WaiverSpec[], forms: 'both' | 'json' | 'cel' = 'both'): KubeObject {
  const annotations: Record<string, string> = { ...(o.metadata?.annotations ?? {}) };
  if (forms !== 'cel') annotations[WAIVERS_ANNOTATION] = writeWaivers(waivers);
  if (forms !== 'json') Object.assign(annotations, writeAdmissionWaivers(waivers, CATALOG_BY_ID));
  return { ...o, metadata: { ...o.metadata, annotations } };
}

const REASON = 'the vendor image needs the API for leader election';

let installed = '';
async function install(objects: KubeObject[]): Promise<void> {
  const key = JSON.stringify(objects);
  if (key === installed) return;
  await ensureNamespace(CLOCK_NS);
  await setClock(clockDate(new Date()));
  await installGuardrails(objects, CLOCK_NS);
  installed = key;
}

beforeAll(async () => {
  // The stand-in HTTPRoute CRD the other suites install, before discovery is first asked.
  await ensureHttpRouteCrd(shippedStacks().flatMap((s) => s.objects));
});

afterAll(async () => {
  // Leave the cluster as a stack apply leaves it: the shipped stacks' guardrails only.
  const stackGuardrails = shippedStacks().flatMap((s) => s.objects).filter((o) => o.metadata?.annotations?.[GUARDRAIL_RULE_ANNOTATION] !== undefined);
  await setClock(clockDate(new Date()));
  await installGuardrails(stackGuardrails, CLOCK_NS);
});

test('the engine and the API server agree on every rule fixture', async () => {
  const root = fixturesDir();
  const rows: string[] = [];
  const skipped: string[] = [];
  const judged: Array<{ rule: string; expected: 'pass' | 'fail'; guardrail: boolean; cluster: string }> = [];
  let n = 0;
  const files: Array<{ rule: string; expected: 'pass' | 'fail'; file: string }> = [];
  for (const rule of CATALOG) {
    for (const expected of ['pass', 'fail'] as const) {
      const dir = path.join(root, rule.id, expected);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) files.push({ rule: rule.id, expected, file: path.join(dir, f) });
    }
  }
  // Fixtures that need the same guardrails run together: each set is installed once.
  const prepared = files.map((f) => {
    const { docs, namespaces } = intoFreshNamespaces(loadFixture(f.file), `gr${++n}`);
    const [subject, ...context] = docs;
    return { ...f, subject, context, namespaces, guardrails: guardrailsFor(context) };
  }).sort((a, b) => (JSON.stringify(a.guardrails) < JSON.stringify(b.guardrails) ? -1 : 1));

  for (const f of prepared) {
    const name = `${f.rule} ${f.expected}/${path.basename(f.file)}`;
    const { subject, context } = f;
    if (!subject?.kind || !(await collectionOf(subject))) { skipped.push(`${name}: the API server does not serve ${subject?.apiVersion} ${subject?.kind}`); continue; }
    await install(f.guardrails);
    const previous = context.find((o) => o.kind === subject.kind && o.apiVersion === subject.apiVersion && o.metadata?.name === subject.metadata?.name && o.metadata?.namespace === subject.metadata?.namespace);
    for (const [, ns] of f.namespaces) {
      if (ns === 'default' || (subject.kind === 'Namespace' && ns === subject.metadata?.name)) continue;
      const declared = context.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
      await ensureNamespace(ns, { [ENVIRONMENT_LABEL]: 'production', ...(declared?.metadata?.labels ?? {}) }, declared?.metadata?.annotations ?? {});
      await ensureServiceAccount(ns, 'default');
    }
    if (subject.kind === 'Pod' && subject.metadata?.namespace && subject.metadata.namespace !== 'default') {
      await ensureServiceAccount(subject.metadata.namespace, subject.spec?.serviceAccountName ?? 'default');
    }
    let r: Reply;
    if (subject.kind === 'Pod' && (subject.spec?.ephemeralContainers ?? []).length > 0) {
      // Ephemeral containers cannot be set on create: they are added to a running Pod through its
      // ephemeralcontainers subresource (kubectl debug), which the guardrails match too.
      const { ephemeralContainers, ...spec } = subject.spec;
      const created = await serverApply({ ...subject, spec }, false);
      if (created.status >= 300) { rows.push(`${name}: the Pod without its ephemeral containers was refused: ${created.status} ${created.body?.message ?? ''}`); continue; }
      // The scheduler may update the Pod meanwhile: read it again on a conflict.
      let current = created.body;
      r = await call(`${await collectionOf(subject)}/${subject.metadata!.name}/ephemeralcontainers?dryRun=All`, { method: 'PUT', body: { ...current, spec: { ...current.spec, ephemeralContainers } } });
      for (let i = 0; i < 5 && r.status === 409; i++) {
        current = (await call(`${await collectionOf(subject)}/${subject.metadata!.name}`)).body;
        r = await call(`${await collectionOf(subject)}/${subject.metadata!.name}/ephemeralcontainers?dryRun=All`, { method: 'PUT', body: { ...current, spec: { ...current.spec, ephemeralContainers } } });
      }
      if (r.status === 409) { rows.push(`${name}: the Pod kept changing under the ephemeral containers update`); continue; }
    } else if (previous) {
      const created = await serverApply(previous, false);
      if (created.status >= 300) { rows.push(`${name}: its current state was refused: ${created.status} ${created.body?.message ?? ''}`); continue; }
      r = await serverApply(subject, true);
    } else {
      r = await dryRunPost(subject);
    }
    const cluster = verdict(r);
    const engine = engineRefuses(subject, context);
    const guardrail = GUARDRAIL_IDS.has(f.rule);
    if (cluster === 'error') {
      // The API server's own validation refused the fixture before admission ran.
      (guardrail ? rows : skipped).push(`${name}: the API server answered ${r.status}: ${r.body?.message ?? ''}`);
      continue;
    }
    judged.push({ rule: f.rule, expected: f.expected, guardrail, cluster });
    const by = cluster === 'denied' ? ruleOfPolicy(deniedBy(r)!) : undefined;
    if ((cluster === 'denied') !== (engine.length > 0) || (by !== undefined && !engine.includes(by))) {
      rows.push(`${name}: cluster ${cluster}${by ? ` by ${by}` : ''} (${r.body?.message ?? r.status}), engine ${engine.length > 0 ? `refuses by ${engine.join(', ')}` : 'admits'}`);
    }
    if (guardrail && (engine.includes(f.rule) !== (f.expected === 'fail'))) rows.push(`${name}: the engine's verdict is not the fixture's`);
  }
  const ofGuardrails = judged.filter((j) => j.guardrail);
  const notServed = new Map<string, number>();
  for (const s of skipped) {
    const kind = / does not serve (.+)$/.exec(s)?.[1];
    if (kind) notServed.set(kind, (notServed.get(kind) ?? 0) + 1);
  }
  console.log([
    `${GUARDRAILS.length} guardrail rules (and a per-pool guardrail); ${judged.length} fixtures judged by both the engine and the API server, ${judged.length - rows.length} alike:`,
    `  of the guardrail rules: ${ofGuardrails.filter((j) => j.expected === 'fail' && j.cluster === 'denied').length} bad inputs refused, ${ofGuardrails.filter((j) => j.expected === 'pass' && j.cluster === 'admitted').length} good ones admitted`,
    `  of the other rules: ${judged.length - ofGuardrails.length} (the guardrails' verdict compared with the engine's)`,
    `  not run, the API server does not serve the kind: ${[...notServed].map(([k, c]) => `${k} (${c})`).join(', ') || 'none'}`,
    `  of which fixtures of guardrail rules: ${skipped.filter((s) => GUARDRAIL_IDS.has(s.split(' ')[0])).join('; ') || 'none'}`,
    `  not run, the API server's own validation refuses them: ${skipped.filter((s) => !/ does not serve /.test(s)).join('; ') || 'none'}`,
  ].join('\n'));
  expect(rows).toEqual([]);
  for (const rule of GUARDRAILS) {
    expect([rule.id, ofGuardrails.filter((j) => j.rule === rule.id && j.expected === 'fail' && j.cluster === 'denied').length > 0]).toEqual([rule.id, true]);
    expect([rule.id, ofGuardrails.filter((j) => j.rule === rule.id && j.expected === 'pass' && j.cluster === 'admitted').length > 0]).toEqual([rule.id, true]);
  }
});

test('the shipped stacks\' guardrails admit every object of every shipped stack, and a Pod from every template', async () => {
  const stacks = shippedStacks();
  const all = stacks.flatMap((s) => s.objects);
  const guardrails = all.filter((o) => o.metadata?.annotations?.[GUARDRAIL_RULE_ANNOTATION] !== undefined);
  expect(guardrails.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length).toBeGreaterThanOrEqual(GUARDRAILS.length);
  const clock = all.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === CLOCK_CONFIGMAP)!;
  expect(clock.metadata!.namespace).toBe(CLOCK_NS);
  await ensureNamespace(CLOCK_NS);
  await serverApply(clock, false);
  await installGuardrails(guardrails, CLOCK_NS);
  installed = '';

  const refused: string[] = [];
  const count = { create: 0, update: 0, pods: 0 };
  const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'ServiceAccount' ? 1 : 2);
  for (const o of [...all].sort((a, b) => rank(a) - rank(b))) {
    if (!(await collectionOf(o))) { refused.push(`${o.kind} ${o.metadata?.name}: the API server does not serve ${o.apiVersion}`); continue; }
    // CREATE (a dry run: 409 when it already exists, after admission), then UPDATE (a real apply).
    const created = await dryRunPost(o);
    if (verdict(created) !== 'admitted') refused.push(`CREATE ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}: ${created.status} ${created.body?.message ?? ''}`);
    else count.create++;
    const updated = await serverApply(o, false);
    if (verdict(updated) !== 'admitted') refused.push(`apply ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}: ${updated.status} ${updated.body?.message ?? ''}`);
    else count.update++;
  }
  for (const o of all) {
    const template = podFromTemplate(o);
    if (!template) continue;
    const pod: KubeObject = { ...template, metadata: { ...template.metadata, name: `${o.metadata!.name}-guardrails` } };
    const r = await dryRunPost(pod);
    if (verdict(r) !== 'admitted') refused.push(`Pod from ${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}: ${r.status} ${r.body?.message ?? ''}`);
    else count.pods++;
  }
  console.log(`${guardrails.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length} guardrail policies of the shipped stacks admitted all ${all.length} objects of ${stacks.length} stacks (${stacks.map((s) => `${s.name}: ${s.objects.length}`).join(', ')}): ${count.create} on CREATE, ${count.update} on UPDATE, and ${count.pods} Pods made from their templates`);
  expect(refused).toEqual([]);
  expect(count.create).toBe(all.length);
  expect(count.update).toBe(all.length);
  expect(count.pods).toBeGreaterThan(0);
});

test('the trusted-registry guardrail reads every image reference as the engine\'s parser does', async () => {
  // Warn, so that every guardrail's verdict comes back (as warnings) and the registry rule's is read on its own.
  const NS = 'gr-images';
  const digest = `sha256:${'ab'.repeat(32)}`;
  const images = [
    'nginx', 'nginx:1.25', `nginx@${digest}`, 'library/nginx', 'docker.io/nginx', 'docker.io/library/nginx:1.2', 'index.docker.io/library/nginx',
    'DOCKER.IO/library/nginx', 'user/app', 'docker.io/user/app', 'localhost/app', 'localhost', 'localhost:5000/app', 'LOCALHOST/app',
    `registry.example.com/team/app@${digest}`, `registry.example.com/team/app:1.0@${digest}`, 'registry.example.com/teamx/app', 'registry.example.com/team',
    'REGISTRY.EXAMPLE.COM/team/app', 'registry.example.com:5000/team/app', 'registry.example.com/Team/app', 'registry.example.com/team/app:v1:x',
    'registry.example.com//app', 'registry.example.com/team/app@sha256:short', 'registry.example.com/team/app:-bad', 'registry.example.com/te__am/a-b.c_d',
    'foo.bar', 'foo.bar/app', 'MyRegistry/app', 'myregistry/app', '[::1]:5000/app', 'registry.example.com:0/app', 'http://registry.example.com/app',
    `registry.example.com/team/${'a'.repeat(4100)}`,
  ];
  const lists = [
    ['docker.io/library'], ['docker.io'], ['docker.io/library/nginx'], ['docker.io/user'], ['registry.example.com/team'], ['registry.example.com'],
    ['registry.example.com:5000'], ['localhost'], ['localhost:5000'], ['MyRegistry'], ['myregistry'], ['foo.bar'], ['[::1]:5000'], [],
  ];
  await ensureNamespace(NS, { [ENVIRONMENT_LABEL]: 'production' });
  await ensureServiceAccount(NS, 'default');
  const rows: string[] = [];
  let compared = 0;
  try {
    for (const trusted of lists) {
      await install(guardrailsFor([], ['Warn'], { trustedRegistries: trusted }));
      for (const [i, image] of images.entries()) {
        const pod: KubeObject = {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: `image-${i}`, namespace: NS },
          spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image }] },
        };
        const r = await dryRunPost(pod);
        if (r.status !== 201) { rows.push(`${image}: the API server answered ${r.status} ${r.body?.message ?? ''}`); continue; }
        const cluster = r.warnings.some((w) => w.includes('(rule images/trusted-registry)'));
        const engine = evaluate([pod], { trustedRegistries: trusted }).some((f) => f.ruleId === 'images/trusted-registry');
        compared++;
        if (cluster !== engine) rows.push(`trusted ${JSON.stringify(trusted)}, image ${image.slice(0, 80)}: cluster ${cluster ? 'refuses' : 'trusts'}, engine ${engine ? 'refuses' : 'trusts'}`);
      }
    }
  } finally {
    await install(guardrailsFor([]));
  }
  console.log(`image references: ${compared} (reference, trusted list) pairs judged alike by the trusted-registry guardrail and the engine, ${rows.length} not`);
  expect(rows).toEqual([]);
  expect(compared).toBe(images.length * lists.length);
});

describe('waivers and expiry', () => {
  const NS = 'gr-waivers';
  let deployment: KubeObject;
  let pod: KubeObject;

  beforeAll(async () => {
    await install(guardrailsFor([]));
    await ensureNamespace(NS, { [ENVIRONMENT_LABEL]: 'production' });
    await ensureServiceAccount(NS, 'default');
    await ensureServiceAccount(NS, 'api');
    // One change from compliant: the pods automount a service account token.
    const [fixture] = loadFixture(path.join(fixturesDir(), 'workloads/service-account-token/fail/0.yaml'));
    deployment = { ...fixture, metadata: { ...fixture.metadata, name: 'waived', namespace: NS } };
    const site = podSpecOf(deployment)!;
    pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'waived-pod', namespace: NS, labels: site.metadata.labels }, spec: site.spec };
  });

  afterAll(async () => { await setClock(clockDate(new Date())); });

  /** The verdicts of the cluster (a dry-run CREATE) and of the engine, side by side. */
  async function both(o: KubeObject): Promise<string> {
    const cluster = verdict(await dryRunPost(o));
    return `cluster ${cluster}, engine ${engineRefuses(o).length > 0 ? 'denied' : 'admitted'}`;
  }

  const waiver = (expires?: string, extra: Partial<WaiverSpec> = {}): WaiverSpec => ({ rule: 'workloads/service-account-token', reason: REASON, ...(expires ? { expires } : {}), ...extra });

  test('on CREATE: the API server\'s own time decides expiry, whatever the clock ConfigMap says', async () => {
    // A clock far in the past would keep every waiver alive; CREATE does not read it.
    await setClock('2000-01-01');
    const cases: Array<[string, KubeObject, string]> = [
      ['no waiver', deployment, 'denied'],
      ['a waiver in both forms, far from expiry', withWaivers(deployment, [waiver('2099-12-31')]), 'admitted'],
      ['a waiver that never expires', withWaivers(deployment, [waiver()]), 'admitted'],
      ['a waiver expiring at the end of today (UTC)', withWaivers(deployment, [waiver(dayFrom(0))]), 'admitted'],
      ['a waiver that expired yesterday', withWaivers(deployment, [waiver(dayFrom(-1))]), 'denied'],
      ['a leap day that exists (2028-02-29)', withWaivers(deployment, [waiver('2028-02-29')]), 'admitted'],
      ['a leap day that does not (2100-02-29)', withWaivers(deployment, [waiver('2100-02-29')]), 'denied'],
      ['a date that does not exist (2099-04-31)', withWaivers(deployment, [waiver('2099-04-31')]), 'denied'],
      ['only the CEL-readable form', withWaivers(deployment, [waiver('2099-12-31')], 'cel'), 'denied'],
      ['only the JSON form', withWaivers(deployment, [waiver('2099-12-31')], 'json'), 'denied'],
      ['a waiver of another rule', withWaivers(deployment, [{ rule: 'workloads/probes', reason: REASON, expires: '2099-12-31' }]), 'denied'],
      ['the Pod, waived', withWaivers(pod, [waiver('2099-12-31')]), 'admitted'],
      ['the Pod, waived until yesterday', withWaivers(pod, [waiver(dayFrom(-1))]), 'denied'],
    ];
    const got = [];
    for (const [what, o, want] of cases) got.push(`${what}: ${await both(o)}${want === 'admitted' ? '' : ''}`);
    expect(got).toEqual(cases.map(([what, , want]) => `${what}: cluster ${want}, engine ${want}`));
  });

  test('on UPDATE: the clock ConfigMap decides expiry; a clock that is not a date expires every expiring waiver', async () => {
    await setClock(clockDate(new Date()));
    const live = withWaivers(deployment, [waiver(dayFrom(1))]);
    const created = await serverApply({ ...live, metadata: { ...live.metadata, name: 'waived-update' } }, false);
    expect(created.status).toBeLessThan(300);
    const update = (o: KubeObject) => serverApply({ ...o, metadata: { ...o.metadata, name: 'waived-update', labels: { changed: String(Date.now()) } } }, true);
    expect(verdict(await update(live))).toBe('admitted');

    await setClock(dayFrom(2));
    expect(verdict(await eventually(() => update(live), (r) => verdict(r) === 'denied'))).toBe('denied');
    expect(engineRefuses(live, [], new Date(Date.now() + 2 * DAY))).toEqual(['workloads/service-account-token']);

    await setClock('not a date');
    expect(verdict(await eventually(() => update(live), (r) => verdict(r) === 'denied'))).toBe('denied');
    // A waiver without expiry does not depend on the clock.
    const forever = withWaivers(deployment, [waiver()]);
    expect(verdict(await update(forever))).toBe('admitted');

    await setClock(clockDate(new Date()));
    expect(verdict(await eventually(() => update(live), (r) => verdict(r) === 'admitted'))).toBe('admitted');
  });

  test('without the clock ConfigMap, every request a waivable guardrail matches is refused', async () => {
    const waived = withWaivers(deployment, [waiver()]);
    expect(verdict(await dryRunPost(waived))).toBe('admitted');
    await call(`/api/v1/namespaces/${CLOCK_NS}/configmaps/${CLOCK_CONFIGMAP}`, { method: 'DELETE' });
    try {
      const r = await eventually(() => dryRunPost(waived), (x) => x.status >= 400);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(String(r.body?.message)).toMatch(/param/i);
    } finally {
      await setClock(clockDate(new Date()));
    }
    expect(verdict(await eventually(() => dryRunPost(waived), (x) => verdict(x) === 'admitted'))).toBe('admitted');
  });

  test('a container-scoped waiver covers that container only', async () => {
    const [fixture] = loadFixture(path.join(fixturesDir(), 'images/digest-pinned/fail/0.yaml'));
    const site = podSpecOf(fixture)!;
    const tagged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tagged', namespace: NS, labels: site.metadata.labels }, spec: site.spec } as KubeObject;
    const container = site.spec.containers.find((c: any) => !/@sha256:/.test(c.image)).name as string;
    const rule = 'images/digest-pinned';
    expect(await both(tagged)).toBe('cluster denied, engine denied');
    expect(await both(withWaivers(tagged, [{ rule, reason: REASON, expires: '2099-12-31', container }]))).toBe('cluster admitted, engine admitted');
    expect(await both(withWaivers(tagged, [{ rule, reason: REASON, expires: '2099-12-31', container: 'not-that-one' }]))).toBe('cluster denied, engine denied');
  });

  test('a workload\'s waivers reach the Pods its controller makes (BulwarkApp copies them onto the template)', async () => {
    const waived = withWaivers(deployment, [waiver('2099-12-31')]);
    const template = (o: KubeObject): KubeObject => {
      const site = podSpecOf(o)!;
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'from-template', namespace: NS, labels: site.metadata.labels, annotations: site.metadata.annotations }, spec: site.spec };
    };
    expect(await both(waived)).toBe('cluster admitted, engine admitted');
    expect(await both(template(waived))).toBe('cluster denied, engine denied');
    expect(await both(template(propagateWaivers(JSON.parse(JSON.stringify(waived)))))).toBe('cluster admitted, engine admitted');
  });

  test('known limits, pinned: the cluster reads the CEL-readable form only, so a hand-edited object whose forms disagree is judged by it', async () => {
    // The engine (synth, `bulwark check`) refuses these through waivers/valid-waiver; Bulwark's
    // own output never has them (Waiver writes both forms from one value).
    const expiredInJson = withWaivers(withWaivers(deployment, [waiver()], 'cel'), [waiver(dayFrom(-1))], 'json');
    expect(await both(expiredInJson)).toBe('cluster admitted, engine denied');
    const shortReason = withWaivers(deployment, [{ ...waiver('2099-12-31'), reason: 'needed' }]);
    expect(await both(shortReason)).toBe('cluster admitted, engine denied');
  });

  test('in "warn" mode a refusal is a warning that names the rule, and the request is admitted', async () => {
    await install(guardrailsFor([], ['Warn', 'Audit']));
    try {
      const r = await dryRunPost(deployment);
      expect(verdict(r)).toBe('admitted');
      expect(r.warnings.join('\n')).toContain('(rule workloads/service-account-token)');
    } finally {
      await install(guardrailsFor([]));
    }
    expect(verdict(await dryRunPost(deployment))).toBe('denied');
  });

  test('a namespace\'s Pod Security levels cannot be lowered without a waiver', async () => {
    const labels = (level: string) => ({
      [ENVIRONMENT_LABEL]: 'production',
      'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': 'v1.36',
      'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest',
    });
    const ns = (level: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gr-downgrade', labels: labels(level) } });
    expect((await serverApply(ns('restricted'), false)).status).toBeLessThan(300);
    const lowered = ns('baseline');
    const r = await serverApply(lowered, true);
    expect([verdict(r), ruleOfPolicy(deniedBy(r) ?? '')]).toEqual(['denied', 'namespaces/no-pod-security-downgrade']);
    expect(engineRefuses(lowered, [ns('restricted')])).toContain('namespaces/no-pod-security-downgrade');
    const waived = withWaivers(lowered, [{ rule: 'namespaces/no-pod-security-downgrade', reason: 'the vendor operator needs baseline until its 2.0 release', expires: '2099-12-31' }]);
    expect(verdict(await serverApply(waived, true))).toBe('admitted');
    expect(engineRefuses(waived, [ns('restricted')])).not.toContain('namespaces/no-pod-security-downgrade');
  });

  test('the RBAC guardrails let the allow-list and the API server\'s own bindings through, and nothing else', async () => {
    const crb = (name: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' }],
    });
    await install(guardrailsFor([], ['Deny'], { allowedBindings: ['kubeadm:cluster-admins'] }));
    try {
      expect(verdict(await dryRunPost(crb('kubeadm:cluster-admins')))).toBe('admitted');
      expect(ruleOfPolicy(deniedBy(await dryRunPost(crb('break-glass'))) ?? '')).toBe('rbac/no-privileged-bindings');
      const asApiServer = await dryRunPost(crb('reconciled'), { user: 'system:apiserver', groups: ['system:masters'] });
      expect(verdict(asApiServer)).toBe('admitted');
    } finally {
      await install(guardrailsFor([]));
    }
  });

  test('nothing lands in "default", except what the control plane itself creates there', async () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: 'b' } };
    expect(ruleOfPolicy(deniedBy(await dryRunPost(cm)) ?? '')).toBe('namespaces/no-default-namespace');
    expect(engineRefuses(cm)).toEqual(['namespaces/no-default-namespace']);
    const asControllerManager = await dryRunPost(cm, { user: 'system:kube-controller-manager', groups: ['system:masters'] });
    expect(verdict(asControllerManager)).toBe('admitted');
    // Cluster-scoped objects are not in any namespace.
    expect(verdict(await dryRunPost({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gr-reader' }, rules: [] }))).toBe('admitted');
  });
});

test('the canary waits for policy changes (sanity of the harness)', async () => {
  await waitForCanary(CLOCK_NS);
});
