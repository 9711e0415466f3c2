/**
 * Property: for any valid combination of props, SecureWorkload and IsolatedNamespace synthesize
 * objects that pass Pod Security restricted at the chart's minor, and the engine finds nothing
 * unwaived. Seeded, so a failure reproduces; fast-check prints the counterexample.
 */
import { Size } from 'cdk8s';
import * as fc from 'fast-check';
import { ConfigSource, IsolatedNamespace, Port, Probe, SecureContainerProps, SecureWorkload, WorkloadKind } from '../constructs';
import { evaluate, unwaived } from '../policy';
import { newChart, NOW, PINNED, synth } from './helpers';

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const requestAndLimit = (unit: string, max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 0, max }))
  .map(([req, extra]) => ({ request: `${req}${unit}`, limit: `${req + extra}${unit}` }));

const containerArb = (withProbes: boolean) => fc.record({
  ports: fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { maxLength: 3 }),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  secretFiles: fc.uniqueArray(name, { maxLength: 2 }),
  writable: fc.uniqueArray(fc.stringMatching(/^\/[a-z]{1,8}$/), { maxLength: 3 }),
  cpu: fc.option(requestAndLimit('m', 2000), { nil: undefined }),
  memory: fc.option(requestAndLimit('Mi', 4096), { nil: undefined }),
  ephemeralStorage: fc.option(requestAndLimit('Mi', 2048), { nil: undefined }),
  sizeLimit: fc.integer({ min: 1, max: 512 }),
  persistent: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 2 }),
  configs: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 2 }),
}).map((r) => (n: string): SecureContainerProps => ({
  name: n,
  image: PINNED,
  ports: r.ports.map((p) => Port.tcp(p)),
  env: r.env,
  secretFiles: r.secretFiles.map((s) => ({ secretName: s, mountPath: `/var/run/secrets/${s}` })),
  writablePaths: r.writable.length === 0 ? undefined : r.writable.map((p) => ({ path: p, sizeLimit: Size.mebibytes(r.sizeLimit) })),
  resources: { cpu: r.cpu, memory: r.memory, ephemeralStorage: r.ephemeralStorage },
  persistentPaths: r.persistent.map((p) => ({ name: `${n}-${p}`, path: `/data/${p}`, size: '1Gi' })),
  configFiles: r.configs.map((c) => ({ config: ConfigSource.fromName(`cfg-${c}`), mountPath: `/etc/${c}` })),
  ...(withProbes ? { liveness: Probe.fromCommand(['/healthz']), readiness: Probe.fromCommand(['/ready']) } : {}),
}));

const workloadArb = fc.record({
  kind: fc.constantFrom<WorkloadKind>('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'),
  autoscaling: fc.option(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 10 }), fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined })), { nil: undefined }),
  podLabels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 3 }),
  podAnnotations: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}\.io\/[a-z]{1,8}$/), fc.string({ maxLength: 12 }), { maxKeys: 2 }),
  pullSecrets: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 2 }),
  replicas: fc.integer({ min: 0, max: 6 }),
  user: fc.integer({ min: 10000, max: 2 ** 31 - 1 }),
  group: fc.integer({ min: 10000, max: 2 ** 31 - 1 }),
  containers: fc.array(containerArb(true), { minLength: 1, maxLength: 3 }),
  initContainers: fc.array(containerArb(false), { maxLength: 2 }),
  egress: fc.array(fc.tuple(fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '169.254.0.0/16', '203.0.113.7/32', '::/0'), fc.integer({ min: 1, max: 65535 })), { maxLength: 3 }),
  version: fc.constantFrom('1.35', '1.36', '1.37'),
  quotaPods: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
});

test('random SecureWorkloads pass restricted with no unwaived finding', () => {
  fc.assert(fc.property(workloadArb, (w) => {
    const chart = newChart({ kubernetesVersion: w.version });
    const ns = new IsolatedNamespace(chart, 'team-a', { quota: w.quotaPods ? { pods: String(w.quotaPods) } : undefined });
    const longRunning = w.kind === 'Deployment' || w.kind === 'StatefulSet';
    const stateful = w.kind === 'Deployment' || w.kind === 'StatefulSet';
    const containers = w.containers.map((c, i) => c(`c${i}`)).map((c) => (stateful ? c : { ...c, persistentPaths: undefined }));
    if (w.kind === 'StatefulSet' && containers.every((c) => (c.ports ?? []).length === 0)) containers[0] = { ...containers[0], ports: [Port.tcp(5432)] };
    const workload = new SecureWorkload(chart, 'w', {
      namespace: ns,
      kind: w.kind,
      schedule: w.kind === 'CronJob' ? '*/5 * * * *' : undefined,
      replicas: longRunning && !w.autoscaling ? w.replicas : undefined,
      autoscaling: longRunning && w.autoscaling ? { minReplicas: w.autoscaling[0], maxReplicas: w.autoscaling[0] + w.autoscaling[1], cpuUtilization: w.autoscaling[2] } : undefined,
      podMetadata: { labels: w.podLabels, annotations: w.podAnnotations },
      imagePullSecrets: w.pullSecrets,
      user: w.user,
      group: w.group,
      containers,
      initContainers: w.initContainers.map((c, i) => c(`init${i}`)).map((c) => (stateful ? c : { ...c, persistentPaths: undefined })),
    });
    for (const [cidr, port] of w.egress) workload.allowEgress(cidr, Port.tcp(port));
    const objects = synth(chart);
    const findings = unwaived(evaluate(objects, { kubernetesVersion: w.version, now: NOW }));
    expect(findings.map((f) => `${f.ruleId}: ${f.detail}`)).toEqual([]);
    const pss = evaluate(objects, { kubernetesVersion: w.version, packs: ['pss-restricted'], now: NOW });
    expect(pss).toEqual([]);
  }), { numRuns: 1500, seed: 20261122 });
});
