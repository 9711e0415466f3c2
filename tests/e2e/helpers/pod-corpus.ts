/**
 * Pods one change away from a compliant SecureWorkload pod: the cluster's Pod Security admission
 * and Bulwark's engine must agree on every one of them.
 */
import { KubeObject } from '../../../policy';

type Mutation = (spec: any, c: any) => void;

export const BAD_MUTATIONS: Record<string, Mutation> = {
  'privileged': (_s, c) => { c.securityContext.privileged = true; c.securityContext.allowPrivilegeEscalation = true; },
  'root user': (s) => { s.securityContext.runAsUser = 0; },
  'runAsNonRoot false': (s) => { s.securityContext.runAsNonRoot = false; delete s.containers[0].securityContext.runAsNonRoot; },
  'hostPath volume': (s, c) => { s.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); c.volumeMounts.push({ name: 'host', mountPath: '/host' }); },
  'missing seccompProfile': (s) => { delete s.securityContext.seccompProfile; },
  'seccomp Unconfined': (s) => { s.securityContext.seccompProfile = { type: 'Unconfined' }; },
  'added SYS_ADMIN': (_s, c) => { c.securityContext.capabilities.add = ['SYS_ADMIN']; },
  'added NET_RAW': (_s, c) => { c.securityContext.capabilities.add = ['NET_RAW']; },
  'capabilities not dropped': (_s, c) => { delete c.securityContext.capabilities; },
  'privilege escalation allowed': (_s, c) => { c.securityContext.allowPrivilegeEscalation = true; },
  'hostNetwork': (s) => { s.hostNetwork = true; },
  'hostPID': (s) => { s.hostPID = true; },
  'hostIPC': (s) => { s.hostIPC = true; },
  'hostPort': (_s, c) => { c.ports = [{ containerPort: 8080, hostPort: 8080 }]; },
  'AppArmor Unconfined': (_s, c) => { c.securityContext.appArmorProfile = { type: 'Unconfined' }; },
  'SELinux custom user': (s) => { s.securityContext.seLinuxOptions = { user: 'system_u' }; },
  'unsafe sysctl': (s) => { s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; },
  'nfs volume': (s) => { s.volumes.push({ name: 'share', nfs: { server: 'nfs.example.com', path: '/export' } }); },
  'probe to another host': (_s, c) => { c.livenessProbe = { httpGet: { host: '10.0.0.1', path: '/', port: 80 } }; },
};

export const GOOD_MUTATIONS: Record<string, Mutation> = {
  'as synthesized': () => undefined,
  'adds NET_BIND_SERVICE': (_s, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; },
  'Localhost seccomp profile': (s) => { s.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' }; },
  'safe sysctl': (s) => { s.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' }]; },
  'RuntimeDefault AppArmor': (s) => { s.securityContext.appArmorProfile = { type: 'RuntimeDefault' }; },
};

export function mutate(pod: KubeObject, name: string, m: Mutation): KubeObject {
  const copy = JSON.parse(JSON.stringify(pod));
  copy.metadata.name = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  m(copy.spec, copy.spec.containers[0]);
  return copy;
}
