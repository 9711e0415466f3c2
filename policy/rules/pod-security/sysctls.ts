import { definePodSecurityRule, PodCheck, v } from './define';

const V1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const V1_27 = [...V1_0, 'net.ipv4.ip_local_reserved_ports'];
const V1_29 = [...V1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const V1_32 = [...V1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const V1_37 = [...V1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function allowOnly(names: readonly string[]): PodCheck {
  const allowed = new Set(names);
  return (_m, spec) => (Array.isArray(spec?.securityContext?.sysctls) ? spec.securityContext.sysctls : [])
    .map((s: any, i: number) => ({ s, i }))
    .filter(({ s }: any) => !allowed.has(s?.name))
    .map(({ s, i }: any) => ({ field: `securityContext.sysctls[${i}].name`, detail: `forbidden sysctl "${s?.name}"` }));
}

export const sysctls = definePodSecurityRule({
  id: 'pod-security/sysctls',
  psaCheck: 'sysctls',
  level: 'baseline',
  title: 'Only namespaced, isolated ("safe") sysctls may be set',
  severity: 'high',
  waivable: true,
  reason: 'forbidden sysctls',
  rationale: 'Unsafe sysctls change kernel settings for the whole node and every pod on it.',
  remediation: 'Remove the sysctl from securityContext.sysctls, or tune it on the node through the node pool instead.',
  manifestRemediation: 'Remove the entry from spec.securityContext.sysctls; keep only the sysctls Pod Security baseline lists as safe (e.g. net.ipv4.ip_local_port_range) and tune the rest on the node.',
  references: [{ source: 'Trivy', id: 'KSV026' }, { source: 'Kubernetes', id: 'Using sysctls in a Kubernetes Cluster' }],
  versions: [
    { since: v(0), check: allowOnly(V1_0) },
    { since: v(27), check: allowOnly(V1_27) },
    { since: v(29), check: allowOnly(V1_29) },
    { since: v(32), check: allowOnly(V1_32) },
    { since: v(37), check: allowOnly(V1_37) },
  ],
});
