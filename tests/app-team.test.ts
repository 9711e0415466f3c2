/**
 * What an app team needs beyond the basics, each secure by default: autoscaling, storage,
 * configuration, exposure, pod metadata, pull secrets, Service ports, DaemonSets, CronJob options.
 * Every feature: its emitted object asserted field by field, beside a snapshot.
 */
import * as yaml from 'yaml';
import {
  BulwarkChart, ConfigSource, Gateway, IngressController, IsolatedNamespace, Port, Probe, SecureConfigMap, SecureCronJob,
  SecureDaemonSet, SecureDeployment, SecureJob, SecureStatefulSet, SecureWorkload, Waiver,
} from '../constructs';
import { CATALOG_BY_ID, KubeObject } from '../policy';
import '../policy/testing';
import { byKind, chartWithNamespace, container, newApp, synth } from './helpers';

const NGINX = IngressController.of({ className: 'nginx', namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
const GATEWAY = Gateway.of({ name: 'public', namespace: 'gateways', httpsListener: 'https', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });

function podOf(o: KubeObject): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
}

function clean(objects: KubeObject[]): void {
  expect(objects).toPassPodSecurity('restricted', '1.36');
  expect(objects).toHaveNoFindings({ trustedRegistries: ['registry.example.com'] });
}

describe('autoscaling', () => {
  test('autoscale() leaves replicas to an autoscaling/v2 HPA and keeps the PDB with minReplicas >= 2', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ ports: [Port.tcp(8080)] })] });
    const hpa = w.autoscale({ minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 });
    const objects = synth(chart);
    const d = byKind(objects, 'Deployment');
    expect(d.spec.replicas).toBeUndefined();
    const h = byKind(objects, 'HorizontalPodAutoscaler');
    expect(h.apiVersion).toBe('autoscaling/v2');
    expect(h.spec).toEqual({
      maxReplicas: 10, minReplicas: 2,
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' },
        { resource: { name: 'memory', target: { averageUtilization: 80, type: 'Utilization' } }, type: 'Resource' },
      ],
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    });
    expect(hpa.kind).toBe('HorizontalPodAutoscaler');
    expect(byKind(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(podOf(d).spec.topologySpreadConstraints).toHaveLength(1);
    clean(objects);
    expect(yaml.stringify(objects.filter((o) => ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind)))).toMatchSnapshot();
  });

  test('the autoscaling prop does the same; minReplicas 1 drops the PDB and spreading', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, autoscaling: { minReplicas: 1, maxReplicas: 3 }, containers: [container()] });
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(podOf(byKind(objects, 'Deployment')).spec.affinity).toBeUndefined();
    expect(byKind(objects, 'HorizontalPodAutoscaler').spec.metrics).toEqual([{ resource: { name: 'cpu', target: { averageUtilization: 75, type: 'Utilization' } }, type: 'Resource' }]);
    clean(objects);
  });

  test('fails when a fixed replica count is set beside the autoscaler, by the rule that owns it', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'api', { namespace: ns, replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 5 }, containers: [container()] }))
      .toThrow('SecureWorkload "api": replicas 3 is refused: spec.replicas is 3 but HorizontalPodAutoscaler "api" scales this Deployment (rule workloads/autoscaler-owns-replicas).');
  });

  test('a hand-written HPA beside fixed replicas fails synth', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    const { ApiObject } = jest.requireActual('cdk8s');
    new ApiObject(chart, 'hpa', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', namespace: 'team-a' }, spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } } });
    expect(() => synth(chart)).toThrow(/\[workloads\/autoscaler-owns-replicas\] replicas fixed under an autoscaler/);
  });

  test.each([
    [{ minReplicas: 0, maxReplicas: 3 }, /is not 1 <= minReplicas <= maxReplicas/],
    [{ minReplicas: 4, maxReplicas: 3 }, /is not 1 <= minReplicas <= maxReplicas/],
    [{ minReplicas: 2, maxReplicas: 3, cpuUtilization: 150 }, /autoscale cpuUtilization 150 is not a percentage/],
  ])('refuses %j', (options, message) => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    expect(() => w.autoscale(options)).toThrow(message);
  });

  test('a Job cannot be autoscaled', () => {
    const { chart, ns } = chartWithNamespace();
    const j = new SecureJob(chart, 'once', { namespace: ns, containers: [container()] });
    expect(() => j.autoscale({ minReplicas: 1, maxReplicas: 2 })).toThrow('SecureWorkload "once": autoscale "Job" does not apply to a Job. Autoscale a Deployment or StatefulSet.');
  });
});

describe('storage', () => {
  test('a Deployment gets a PersistentVolumeClaim, mounted writable, with fsGroup so the non-root user can write', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'cache', {
      namespace: ns, replicas: 1,
      containers: [container({ persistentPaths: [{ name: 'data', path: '/data', size: '5Gi', storageClassName: 'fast' }] })],
    });
    const objects = synth(chart);
    expect(byKind(objects, 'PersistentVolumeClaim')).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'cache-data', namespace: 'team-a' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'fast' },
    });
    const pod = podOf(byKind(objects, 'Deployment')).spec;
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'cache-data' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/data', name: 'data' });
    expect(pod.securityContext).toMatchObject({ fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch' });
    clean(objects);
  });

  test('a StatefulSet gets one claim per replica through volumeClaimTemplates', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureStatefulSet(chart, 'db', {
      namespace: ns,
      containers: [container({ ports: [Port.tcp(5432)], persistentPaths: [{ name: 'pgdata', path: '/var/lib/postgresql/data', size: '20Gi', accessMode: 'ReadWriteOncePod' }] })],
    });
    const objects = synth(chart);
    const s = byKind(objects, 'StatefulSet');
    expect(s.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '20Gi' } } } }]);
    expect(s.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('pgdata');
    expect(s.spec.template.spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/var/lib/postgresql/data', name: 'pgdata' });
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    clean(objects);
    expect(yaml.stringify(s)).toMatchSnapshot();
  });

  test.each([
    ['a Job', 'Job', { size: '1Gi' }, /persistentPaths "data" does not apply to a Job/],
    ['a bad size', 'Deployment', { size: 'lots' }, /persistentPaths\["data"\].size "lots" is not a storage quantity/],
  ])('fails for %s', (_what, kind, extra, message) => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'w', { namespace: ns, kind: kind as any, containers: [container({ persistentPaths: [{ name: 'data', path: '/data', ...extra }] })] })).toThrow(message);
  });
});

describe('configuration', () => {
  test('a SecureConfigMap is immutable and named by its content, mounted read-only or read as env', () => {
    const { chart, ns } = chartWithNamespace();
    const cfg = new SecureConfigMap(chart, 'settings', { namespace: ns, data: { 'app.yaml': 'level: info\n', MODE: 'fast' } });
    new SecureWorkload(chart, 'api', {
      namespace: ns,
      containers: [container({
        configFiles: [{ config: cfg, mountPath: '/etc/app' }, { config: ConfigSource.fromName('shared-ca'), mountPath: '/etc/ca' }],
        configEnv: { MODE: { config: cfg, key: 'MODE' } },
      })],
    });
    const objects = synth(chart);
    const cm = byKind(objects, 'ConfigMap') as any;
    expect(cm.metadata.name).toMatch(/^settings-[0-9a-f]{10}$/);
    expect(cm.immutable).toBe(true);
    const c = podOf(byKind(objects, 'Deployment')).spec.containers[0];
    expect(c.env).toEqual([{ name: 'MODE', valueFrom: { configMapKeyRef: { key: 'MODE', name: cm.metadata.name } } }]);
    expect(c.volumeMounts).toEqual(expect.arrayContaining([
      { mountPath: '/etc/app', name: `config-${cm.metadata.name}`, readOnly: true },
      { mountPath: '/etc/ca', name: 'config-shared-ca', readOnly: true },
    ]));
    clean(objects);
  });

  test('a change of content is a new name, so the pods roll', () => {
    const a = chartWithNamespace();
    const b = chartWithNamespace();
    const one = new SecureConfigMap(a.chart, 's', { namespace: a.ns, data: { k: '1' } });
    const two = new SecureConfigMap(b.chart, 's', { namespace: b.ns, data: { k: '2' } });
    const same = new SecureConfigMap(b.chart, 't', { namespace: b.ns, name: 's', data: { k: '1' } });
    expect(one.configMapName).not.toBe(two.configMapName);
    expect(same.configMapName).toBe(one.configMapName);
  });
});

describe('exposure', () => {
  test('exposeViaIngress: TLS, the controller\'s class, and the NetworkPolicy opened to the controller pods only', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureDeployment(chart, 'web', {
      namespace: ns,
      containers: [container({ ports: [Port.tcp(8080, 'http')] })],
      servicePorts: [{ port: 80, targetPort: Port.tcp(8080, 'http') }],
    });
    w.exposeViaIngress({ host: 'shop.example.com', controller: NGINX, tlsSecretName: 'shop-tls' });
    const objects = synth(chart);
    expect(byKind(objects, 'Ingress').spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ backend: { service: { name: 'web', port: { number: 80 } } }, path: '/', pathType: 'Prefix' }] } }],
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    });
    expect(byKind(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect(byKind(objects, 'NetworkPolicy', 'web').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    clean(objects);
  });

  test('fails when an Ingress in production has no TLS; a development chart records a waiver instead', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'web', { namespace: ns, containers: [container({ ports: [Port.tcp(8080)] })] });
    expect(() => w.exposeViaIngress({ host: 'shop.example.com', controller: NGINX }))
      .toThrow('SecureWorkload "web": exposeViaIngress tlsSecretName (unset) is refused: host "shop.example.com" is not listed in spec.tls[].hosts (rule network/ingress-tls).');
    const dev = new BulwarkChart(newApp({ environment: 'development' }), 'dev');
    const devNs = new IsolatedNamespace(dev, 'team-a');
    const d = new SecureWorkload(dev, 'web', { namespace: devNs, containers: [container({ ports: [Port.tcp(8080)] })] });
    d.exposeViaIngress({ host: 'shop.dev.example.com', controller: NGINX });
    const ingress = byKind(synth(dev), 'Ingress');
    expect(ingress.metadata!.annotations!['bulwark.dev/waivers']).toContain('"rule":"network/ingress-tls"');
  });

  test('exposeViaRoute: an HTTPRoute on the gateway\'s HTTPS listener only', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'web', { namespace: ns, containers: [container({ ports: [Port.tcp(8080)] })] });
    w.exposeViaRoute({ hostnames: ['shop.example.com'], path: '/shop', gateway: GATEWAY });
    const objects = synth(chart);
    const route = byKind(objects, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: 'web', port: 8080 }], matches: [{ path: { type: 'PathPrefix', value: '/shop' } }] }]);
    expect(byKind(objects, 'NetworkPolicy', 'web').spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('gateways');
    clean(objects);
  });

  test('a workload without a Service cannot be exposed', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'w', { namespace: ns, containers: [container()] });
    expect(() => w.exposeViaRoute({ hostnames: ['a.example.com'], gateway: GATEWAY })).toThrow(/exposeViaRoute "Deployment" needs a ClusterIP Service in front of the pods/);
  });
});

describe('pod metadata, pull secrets, container identity', () => {
  test('labels and annotations reach the pods; pull secrets are listed; UID and GID are on every container too', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', {
      namespace: ns, user: 20000, group: 20001,
      podMetadata: { labels: { team: 'payments' }, annotations: { 'prometheus.io/scrape': 'true' } },
      imagePullSecrets: ['registry-creds'],
      initContainers: [container({ name: 'migrate', liveness: undefined, readiness: undefined })],
      containers: [container()],
    });
    const pod = podOf(byKind(synth(chart), 'Deployment'));
    expect(pod.metadata.labels).toEqual({ 'app.kubernetes.io/instance': 'team-a.api', 'app.kubernetes.io/name': 'api', team: 'payments' });
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry-creds' }]);
    for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
      expect(c.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20001, runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
  });

  test.each([
    ['labels', { 'app.kubernetes.io/name': 'other' }, 'network/pod-has-network-policy'],
    ['labels', { 'bulwark.dev/sensitive': 'false' }, 'nodes/sensitive-on-dedicated-pool'],
    ['annotations', { 'bulwark.dev/waivers': '[]' }, 'waivers/valid-waiver'],
    ['annotations', { 'waiver.bulwark.dev/images.digest-pinned': 'never' }, 'waivers/valid-waiver'],
    ['labels', { 'pod-security.kubernetes.io/enforce': 'privileged' }, 'namespaces/pod-security-labels'],
    ['annotations', { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }, 'pod-security/app-armor-profile'],
    ['annotations', { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, 'pod-security/seccomp-profile-restricted'],
    ['annotations', { 'io.kubernetes.cri-o.Devices': '/dev/fuse' }, 'workloads/no-runtime-annotations'],
    ['annotations', { 'run.oci.keep_original_groups': '1' }, 'workloads/no-runtime-annotations'],
    ['annotations', { 'devices.crio.io': '/dev/fuse' }, 'workloads/no-runtime-annotations'],
    ['annotations', { 'seccomp-profile.kubernetes.cri-o.io/POD': 'unconfined' }, 'workloads/no-runtime-annotations'],
    ['annotations', { 'io.containers.trace-syscall': 'of:/tmp/x.json' }, 'workloads/no-runtime-annotations'],
  ])('refuses Bulwark\'s own %s key %j, citing the rule it serves', (what, entries, rule) => {
    const build = () => {
      const { chart, ns } = chartWithNamespace();
      return new SecureWorkload(chart, 'api', { namespace: ns, podMetadata: { [what]: entries }, containers: [container()] });
    };
    expect(build).toThrow(`SecureWorkload "api": podMetadata.${what} "${Object.keys(entries)[0]}" is a key Bulwark owns`);
    expect(build).toThrow(`(rule ${rule})`);
    expect(CATALOG_BY_ID.has(rule)).toBe(true);
  });
});

describe('kinds', () => {
  test('a DaemonSet is hardened like every workload, with no replicas, PDB or spreading', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureDaemonSet(chart, 'agent', { namespace: ns, containers: [container({ ports: [Port.tcp(9100, 'metrics')] })] });
    const objects = synth(chart);
    const ds = byKind(objects, 'DaemonSet');
    expect(ds.spec.replicas).toBeUndefined();
    expect(ds.spec.updateStrategy).toEqual({ rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' });
    expect(ds.spec.template.spec.hostNetwork).toBe(false);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    clean(objects);
    expect(yaml.stringify(ds)).toMatchSnapshot();
  });

  test('a node agent that needs a capability gets it only by patch plus a Waiver per relaxed rule; hostPath never', () => {
    const { JsonPatch } = jest.requireActual('cdk8s');
    const addCap = JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities/add', ['NET_ADMIN']);
    const { chart, ns } = chartWithNamespace();
    new SecureDaemonSet(chart, 'cni', { namespace: ns, containers: [container()] }).resource.addJsonPatch(addCap);
    expect(() => synth(chart)).toThrow(/\[pod-security\/capabilities-baseline\][\s\S]*\[pod-security\/capabilities-restricted\]/);
    const waived = chartWithNamespace();
    const w = new SecureDaemonSet(waived.chart, 'cni', {
      namespace: waived.ns, containers: [container()],
      waivers: ['pod-security/capabilities-baseline', 'pod-security/capabilities-restricted'].map((r) => Waiver.of(r, { reason: 'network agent programs the node routing table', owner: 'platform', expires: '2027-06-30' })),
    });
    w.resource.addJsonPatch(addCap);
    const ds = byKind(synth(waived.chart), 'DaemonSet');
    expect(JSON.parse(ds.metadata!.annotations!['bulwark.dev/waivers']).map((x: any) => x.rule)).toEqual(['pod-security/capabilities-baseline', 'pod-security/capabilities-restricted']);
    // Host filesystem, host namespaces and privileged mode are not waivable at all.
    expect(() => Waiver.of('pod-security/host-path-volumes', { reason: 'log shipper reads node logs read-only' })).toThrow(/cannot be waived/);
  });

  test('a CronJob takes a time zone, concurrency, deadlines, backoff and history limits, with safe defaults', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureCronJob(chart, 'nightly', {
      namespace: ns, schedule: '0 3 * * *', containers: [container({ liveness: undefined, readiness: undefined })],
      cronJob: { timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 1, backoffLimit: 1, activeDeadlineSeconds: 600 },
    });
    new SecureCronJob(chart, 'defaults', { namespace: ns, schedule: '*/5 * * * *', containers: [container({ name: 'b', liveness: undefined, readiness: undefined })] });
    const objects = synth(chart);
    const [nightly, defaults] = objects.filter((o) => o.kind === 'CronJob');
    expect(nightly.spec).toMatchObject({ concurrencyPolicy: 'Replace', failedJobsHistoryLimit: 1, schedule: '0 3 * * *', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 1, suspend: false, timeZone: 'Europe/Berlin' });
    expect(nightly.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 600, backoffLimit: 1, ttlSecondsAfterFinished: 86400 });
    expect(nightly.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect(defaults.spec).toMatchObject({ concurrencyPolicy: 'Forbid', failedJobsHistoryLimit: 1, successfulJobsHistoryLimit: 3, startingDeadlineSeconds: 300 });
    expect(defaults.spec.timeZone).toBeUndefined();
    clean(objects);
  });

  test('kind-specific props are refused on the wrong kind', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new SecureWorkload(chart, 'a', { namespace: ns, cronJob: { timeZone: 'UTC' }, containers: [container()] })).toThrow('SecureWorkload "a": cronJob {"timeZone":"UTC"} does not apply to a Deployment. Remove cronJob or use kind "CronJob".');
    expect(() => new SecureWorkload(chart, 'b', { namespace: ns, kind: 'DaemonSet', replicas: 2, containers: [container()] })).toThrow('SecureWorkload "b": replicas 2 does not apply to a DaemonSet (rule workloads/disruption-budget). Remove replicas.');
  });

  test('every kind selects its pods by the same app labels, Services included', () => {
    const { chart, ns } = chartWithNamespace();
    const kinds = [
      new SecureDeployment(chart, 'd', { namespace: ns, containers: [container({ ports: [Port.tcp(80)] })] }),
      new SecureStatefulSet(chart, 's', { namespace: ns, containers: [container({ ports: [Port.tcp(80)] })] }),
      new SecureDaemonSet(chart, 'ds', { namespace: ns, containers: [container({ ports: [Port.tcp(80)] })] }),
    ];
    const objects = synth(chart);
    for (const w of kinds) {
      const labels = { 'app.kubernetes.io/instance': `team-a.${w.name}`, 'app.kubernetes.io/name': w.name };
      expect(byKind(objects, w.kind, w.name).spec.selector).toEqual({ matchLabels: labels });
      expect(byKind(objects, 'Service', w.name).spec.selector).toEqual(labels);
      expect(byKind(objects, 'NetworkPolicy', w.name).spec.podSelector).toEqual({ matchLabels: labels });
    }
  });

  test('probes are rendered by Bulwark, defaulting to the first container port', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ ports: [Port.tcp(8443)], liveness: Probe.fromHttpGet('/healthz', { scheme: 'HTTPS' }), readiness: Probe.fromTcpSocket() })] });
    const c = podOf(byKind(synth(chart), 'Deployment')).spec.containers[0];
    expect(c.livenessProbe).toEqual({ failureThreshold: 3, httpGet: { path: '/healthz', port: 8443, scheme: 'HTTPS' } });
    expect(c.readinessProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 8443 } });
  });
});

test('a runtime annotation on a raw pod template fails synth by rule workloads/no-runtime-annotations', () => {
  const { chart, ns } = chartWithNamespace();
  const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
  const { JsonPatch } = jest.requireActual('cdk8s');
  w.resource.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { 'io.kubernetes.cri-o.Devices': '/dev/fuse' }));
  expect(() => synth(chart)).toThrow(/\[workloads\/no-runtime-annotations\] runtime annotation/);
});
