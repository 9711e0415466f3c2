import { ApiObject, JsonPatch } from 'cdk8s';
import * as yaml from 'yaml';
import { BulwarkChart, Image, IsolatedNamespace, NetworkPeer, Port, SecureWorkload, Waiver } from '../constructs';
import '../policy/testing';
import { byKind, chartWithNamespace, container, newApp, NOW, PINNED, synth, synthError } from './helpers';

function deployment(overrides: Partial<ConstructorParameters<typeof SecureWorkload>[2]> = {}) {
  const { chart, ns } = chartWithNamespace();
  const workload = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ ports: [Port.tcp(8443)] })], ...overrides });
  return { chart, ns, workload };
}

describe('defaults', () => {
  const { chart } = deployment({ initContainers: [container({ name: 'migrate', liveness: undefined, readiness: undefined })] });
  const objects = synth(chart);
  const d = byKind(objects, 'Deployment', 'api');
  const pod = d.spec.template.spec;
  const all = [...pod.initContainers, ...pod.containers];

  test('synthesizes the same manifests as the snapshot', () => {
    expect(yaml.stringify(objects)).toMatchSnapshot();
  });

  test('passes Pod Security restricted at every supported minor and has no findings', () => {
    for (const v of ['1.35', '1.36', '1.37']) expect(objects).toPassPodSecurity('restricted', v);
    expect(objects).toHaveNoFindings({ now: NOW });
  });

  test('pod runs as non-root with UID, GID and fsGroup >= 10000 and seccomp RuntimeDefault', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('every container, init containers too, drops ALL, forbids escalation and has a read-only root', () => {
    expect(all).toHaveLength(2);
    for (const c of all) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
    }
  });

  test('every container has requests and limits for cpu, memory and ephemeral-storage', () => {
    for (const c of all) {
      for (const k of ['requests', 'limits']) {
        expect(Object.keys(c.resources[k]).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      }
    }
  });

  test('a size-limited /tmp emptyDir is the only writable path', () => {
    for (const c of all) {
      const mount = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
      const vol = pod.volumes.find((v: any) => v.name === mount.name);
      expect(vol.emptyDir.sizeLimit).toBe('64Mi');
    }
  });

  test('its own ServiceAccount, and no token is mounted', () => {
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(byKind(objects, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
  });

  test('two replicas with a PodDisruptionBudget, anti-affinity and zone spread', () => {
    expect(d.spec.replicas).toBe(2);
    const pdb = byKind(objects, 'PodDisruptionBudget', 'api');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('a NetworkPolicy selects the pods for ingress and egress and admits nothing undeclared', () => {
    const np = byKind(objects, 'NetworkPolicy', 'api');
    expect(np.spec).toEqual({ podSelector: { matchLabels: d.spec.selector.matchLabels }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  test('no host namespaces, hostPath or hostPort anywhere', () => {
    expect(pod.hostNetwork).not.toBe(true);
    expect(pod.hostPID).toBe(false);
    expect(pod.hostIPC).toBe(false);
    expect(pod.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
    expect(all.flatMap((c: any) => c.ports ?? []).every((p: any) => p.hostPort === undefined)).toBe(true);
  });
});

describe('kinds', () => {
  test.each(['StatefulSet', 'Job', 'CronJob'] as const)('can be a %s that passes restricted with no findings', (kind) => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'w', {
      namespace: ns,
      kind,
      schedule: kind === 'CronJob' ? '0 3 * * *' : undefined,
      containers: [container({ ports: kind === 'StatefulSet' ? [Port.tcp(5432)] : [] })],
    });
    const objects = synth(chart);
    expect(objects.find((o) => o.kind === kind)).toBeDefined();
    expect(objects).toPassPodSecurity('restricted', '1.36');
    expect(objects).toHaveNoFindings({ now: NOW });
    expect(yaml.stringify(objects)).toMatchSnapshot();
  });

  test('a CronJob forbids concurrent runs', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'w', { namespace: ns, kind: 'CronJob', schedule: '0 3 * * *', containers: [container()] });
    expect(byKind(synth(chart), 'CronJob').spec.concurrencyPolicy).toBe('Forbid');
  });
});

describe('network', () => {
  test('allowFrom opens ingress here and egress on the peer, both on the declared port only', () => {
    const { chart, ns } = chartWithNamespace();
    const other = new IsolatedNamespace(chart, 'team-b');
    const api = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ ports: [Port.tcp(8443)] })] });
    const web = new SecureWorkload(chart, 'web', { namespace: other, containers: [container({ ports: [Port.tcp(8080)] })] });
    const returned = api.allowFrom(web, Port.tcp(8443));
    expect(returned).toBe(api.networkPolicy);
    const objects = synth(chart);
    const apiNp = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'api' && o.metadata?.namespace === 'team-a')!;
    const webNp = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'web' && o.metadata?.namespace === 'team-b')!;
    expect(apiNp.spec.ingress).toEqual([{ from: [web.toNetworkPolicyPeer()], ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(apiNp.spec.egress).toEqual([]);
    expect(webNp.spec.egress).toEqual([{ to: [api.toNetworkPolicyPeer()], ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(webNp.spec.ingress).toEqual([]);
  });

  test('allowEgress to the internet always excepts the cloud metadata endpoint, v4 and v6', () => {
    const { chart, workload } = deployment();
    workload.allowEgress('0.0.0.0/0', Port.tcp(443));
    workload.allowEgress('::/0', Port.tcp(443));
    workload.allowEgress('203.0.113.0/24', Port.tcp(443));
    const np = byKind(synth(chart), 'NetworkPolicy', 'api');
    expect(np.spec.egress[0].to).toEqual(expect.arrayContaining([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32', '192.0.0.192/32', '168.63.129.16/32', '169.254.0.23/32'] } },
      { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128'] } },
      { ipBlock: { cidr: '203.0.113.0/24' } },
    ]));
  });

  test('can admit pods of an unmanaged namespace', () => {
    const { chart, workload } = deployment();
    workload.allowFrom(NetworkPeer.namespace('ingress-nginx'), Port.tcp(8443));
    const np = byKind(synth(chart), 'NetworkPolicy', 'api');
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
  });

  test('fails when allowFrom names a port no container declares', () => {
    const { workload } = deployment();
    expect(() => workload.allowFrom(NetworkPeer.namespace('x'), Port.tcp(9090)))
      .toThrow('SecureWorkload "api": port "9090/TCP" is not a port any of its containers declares (rule network/pod-has-network-policy). Declare it in containers[].ports, or connect on one of: 8443/TCP.');
  });

  test('fails when allowEgress gets something that is not a CIDR', () => {
    const { workload } = deployment();
    expect(() => workload.allowEgress('example.com', Port.tcp(443))).toThrow(/allowEgress cidr "example.com" is not an IPv4 or IPv6 CIDR \(rule network\/no-metadata-egress\)/);
  });

  test('fails synth when a patch opens egress to the metadata endpoint', () => {
    const { chart, workload } = deployment();
    workload.networkPolicy.addJsonPatch(JsonPatch.add('/spec/egress/-', { to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }));
    expect(synthError(chart)).toMatch(/\[network\/no-metadata-egress\] metadata endpoint reachable: egress to 169.254.0.0\/16 does not except 169.254.169.254\/32/);
  });
});

describe('fails when', () => {
  test('the UID is root', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'api', { namespace: ns, user: 0, containers: [container()] }))
      .toThrow('SecureWorkload "api": user 0 is below 10000 (root) (rule pod-security/run-as-user). Use a UID of 10000 or more, e.g. 10001.');
  });

  test('the GID is below 10000', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'api', { namespace: ns, group: 1000, containers: [container()] }))
      .toThrow('SecureWorkload "api": group 1000 is below 10000 (rule workloads/high-uid-gid). Use a GID of 10000 or more, e.g. 10001.');
  });

  test('an image is not pinned by digest in production', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ image: 'nginx:latest' })] }))
      .toThrow('SecureWorkload "api": container "app" image "nginx:latest" is refused: container "app" image "nginx:latest" is not pinned by digest (rule images/digest-pinned). Reference the image by digest');
  });

  test('a patch makes a container privileged', () => {
    const { chart, workload } = deployment();
    workload.resource.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));
    const err = synthError(chart);
    expect(err).toContain('Deployment team-a/api (construct test/api/Resource):');
    expect(err).toContain('[pod-security/privileged] privileged: container "app" must not set securityContext.privileged=true');
    expect(err).toContain('at spec.template.spec.containers[0].securityContext.privileged');
    expect(err).toContain('fix: Remove securityContext.privileged or set it to false');
  });

  test('a patch adds a hostPath volume, and the error lists every finding at once', () => {
    const { chart, workload } = deployment();
    workload.resource.addJsonPatch(
      JsonPatch.add('/spec/template/spec/volumes/-', { name: 'host', hostPath: { path: '/var/run/docker.sock' } }),
      JsonPatch.replace('/spec/template/spec/hostNetwork', true),
    );
    const err = synthError(chart);
    expect(err).toMatch(/3 unwaived policy findings/);
    expect(err).toContain('[pod-security/host-path-volumes] hostPath volumes: volume "host" must not be a hostPath volume');
    expect(err).toContain('[pod-security/restricted-volumes] restricted volume types: volume "host" uses restricted volume type "hostPath"');
    expect(err).toContain('[pod-security/host-namespaces] host namespaces: hostNetwork=true');
  });

  test('waiving restricted-volumes still leaves a hostPath volume refused', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', {
      namespace: ns, containers: [container()], waivers: [Waiver.of('pod-security/restricted-volumes', { reason: 'nfs share for the legacy report job', expires: '2027-01-01' })],
    });
    w.resource.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'host', hostPath: { path: '/etc' } }));
    const err = synthError(chart);
    expect(err).toMatch(/1 unwaived policy finding:/);
    expect(err).toContain('[pod-security/host-path-volumes]');
  });

  test('a privileged patch cannot be waived', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'api', {
      namespace: ns, containers: [container()], waivers: [Waiver.of('pod-security/privileged', { reason: 'we really need it for debugging', expires: '2027-01-01' })],
    })).toThrow('Waiver.of("pod-security/privileged"): rule "pod-security/privileged" cannot be waived (rule waivers/valid-waiver).');
  });

  test('a long-running container has no probes, unless waived', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ liveness: undefined, readiness: undefined })] });
    expect(synthError(chart)).toContain('[workloads/probes] missing probes: container "app" must set livenessProbe and readinessProbe');

    const ok = chartWithNamespace();
    new SecureWorkload(ok.chart, 'api', {
      namespace: ok.ns,
      containers: [container({ liveness: undefined, readiness: undefined, waivers: [Waiver.of('workloads/probes', { reason: 'batch consumer exposes no endpoint to probe', owner: 'team-a' })] })],
    });
    expect(synth(ok.chart).length).toBeGreaterThan(0);
  });

  test('a secret is read into an env var, unless that container waives it', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ secretEnv: { TOKEN: { secretName: 'tok', key: 'token' } } })] });
    expect(synthError(chart)).toContain('[workloads/secrets-as-files] secret in environment: container "app" reads secret "tok" into env var TOKEN');
  });

  test('the workload has no containers, or two share a name', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'a', { namespace: ns, containers: [] })).toThrow(/SecureWorkload "a": containers \[\] is empty/);
    expect(() => new SecureWorkload(chart, 'b', { namespace: ns, containers: [container(), container()] })).toThrow(/containers\[\].name "app" is used twice/);
  });

  test('a CronJob has no schedule, or a Deployment has one', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'a', { namespace: ns, kind: 'CronJob', containers: [container()] })).toThrow(/schedule \(unset\) is required for a CronJob/);
    expect(() => new SecureWorkload(chart, 'b', { namespace: ns, schedule: '* * * * *', containers: [container()] })).toThrow(/schedule "\* \* \* \* \*" does not apply to a Deployment/);
  });

  test('a resource quantity is malformed', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'a', { namespace: ns, containers: [container({ resources: { memory: { request: 'lots', limit: '1Gi' } } })] }))
      .toThrow('SecureWorkload "a" container "app": resources.memory.request "lots" is not a Kubernetes quantity (rule workloads/resources). Use a value such as "250m" or "256Mi".');
  });

  test('it is created outside a BulwarkChart', () => {
    const { Chart, Testing } = jest.requireActual('cdk8s');
    const plain = new Chart(Testing.app(), 'plain');
    expect(() => new IsolatedNamespace(plain, 'x')).toThrow(/IsolatedNamespace "x" must be created inside a BulwarkChart/);
  });
});

describe('waivers', () => {
  test('are written into the output as an annotation and reported as waived', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', {
      namespace: ns,
      containers: [container({ secretEnv: { TOKEN: { secretName: 'tok', key: 'token' } }, waivers: [Waiver.of('workloads/secrets-as-files', { reason: 'vendor SDK only reads its token from the environment', owner: 'team-a', expires: '2027-03-01' })] })],
    });
    const d = byKind(synth(chart), 'Deployment');
    expect(JSON.parse(d.metadata!.annotations!['bulwark.dev/waivers'])).toEqual([
      { rule: 'workloads/secrets-as-files', reason: 'vendor SDK only reads its token from the environment', owner: 'team-a', expires: '2027-03-01', container: 'app' },
    ]);
    const waived = chart.findings().filter((f) => f.waiver);
    expect(waived.map((f) => [f.ruleId, f.container])).toEqual([['workloads/secrets-as-files', 'app']]);
    expect(w.resource).toBeInstanceOf(ApiObject);
  });

  test('a development chart accepts tagged images through a recorded waiver', () => {
    const chart = new BulwarkChart(newApp({ environment: 'development', trustedRegistries: ['docker.io/library', 'registry.example.com'] }), 'dev');
    const ns = new IsolatedNamespace(chart, 'dev');
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ image: Image.tagged('nginx', '1.27') })] });
    const d = byKind(synth(chart), 'Deployment');
    expect(d.metadata!.annotations!['bulwark.dev/waivers']).toContain('"rule":"images/digest-pinned"');
    expect(chart.findings().filter((f) => f.waiver).map((f) => f.ruleId)).toEqual(['images/digest-pinned']);
  });

  test.each([
    ['a too-short reason', 'images/digest-pinned', { reason: 'needed' }, 'reason "needed" is too short (at least 20 characters'],
    ['an expired date', 'images/digest-pinned', { reason: 'temporary until the vendor ships digests', expires: '2026-01-31' }, 'expired on 2026-01-31'],
    ['an unknown rule', 'images/digest-pined', { reason: 'temporary until the vendor ships digests' }, 'rule "images/digest-pined" does not exist'],
    ['a malformed date', 'images/digest-pinned', { reason: 'temporary until the vendor ships digests', expires: '31/01/2027' }, 'expires "31/01/2027" is not a date (YYYY-MM-DD)'],
  ])('fail at once with %s', (_what, rule, options, message) => {
    expect(() => Waiver.of(rule, options)).toThrow(message);
  });

  test('an expired waiver smuggled in through a patch fails synth', () => {
    const { chart, workload } = deployment();
    workload.resource.addJsonPatch(JsonPatch.add('/metadata/annotations', {
      'bulwark.dev/waivers': JSON.stringify([{ rule: 'pod-security/run-as-non-root', reason: 'legacy image needs root for now', expires: '2025-12-31' }]),
    }));
    expect(synthError(chart)).toContain('[waivers/valid-waiver] invalid waiver: waiver for "pod-security/run-as-non-root": expired on 2025-12-31');
  });

  test('a container-scoped waiver does not cover another container', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', {
      namespace: ns,
      containers: [
        container({ name: 'a', secretEnv: { T: { secretName: 's', key: 'k' } }, waivers: [Waiver.of('workloads/secrets-as-files', { reason: 'vendor SDK reads only from env vars', owner: 'x' })] }),
        container({ name: 'b', secretEnv: { T: { secretName: 's', key: 'k' } } }),
      ],
    });
    const err = synthError(chart);
    expect(err).toContain('container "b" reads secret "s"');
    expect(err).not.toContain('container "a" reads secret');
  });
});

test('PINNED is a digest reference', () => {
  expect(PINNED.isPinned).toBe(true);
});
