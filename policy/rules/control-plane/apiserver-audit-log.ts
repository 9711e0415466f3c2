import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation } from './flags';
import { AUDIT_LOG_MINIMUMS } from './hardening';

export const apiserverAuditLog: Rule = flagsRule({
  id: 'control-plane/apiserver-audit-log',
  title: 'The API server must audit with a policy and keep the log for 30 days, 10 files of 100 MB',
  severity: 'high',
  waivable: true,
  rationale: 'Without an audit policy the API server records nothing, and without a retained log nobody can tell afterwards who read a Secret, exec\'d into a pod or changed RBAC.',
  remediation: 'Set --audit-policy-file to the AuditPolicy file, --audit-log-path, --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more); ship the log off the node.',
  manifestRemediation: 'On the kube-apiserver command set --audit-policy-file, --audit-log-path, --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more).',
  references: [
    { source: 'CIS', id: '1.2.16, 1.2.17, 1.2.18, 1.2.19, 3.2.1' },
    { source: 'Checkov', id: 'CKV_K8S_91, CKV_K8S_92, CKV_K8S_93, CKV_K8S_94' },
  ],
}, 'apiServer', (flags): Violation[] => {
  const out: Violation[] = [];
  if (!flags.get('audit-policy-file')) out.push(flagViolation(flags, 'audit-policy-file', 'no audit policy', 'must name the audit policy file: without one nothing is audited'));
  const logPath = flags.get('audit-log-path');
  if (!logPath || logPath === '-') out.push(flagViolation(flags, 'audit-log-path', 'no audit log', 'must name a file (not "-", standard output)'));
  for (const [name, min] of Object.entries(AUDIT_LOG_MINIMUMS)) {
    const n = Number(flags.get(name));
    if (!Number.isInteger(n) || n < min) out.push(flagViolation(flags, name, 'audit log retention', `must be at least ${min}`));
  }
  return out;
});
