import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const secretsAsFiles: Rule = {
  id: 'workloads/secrets-as-files',
  title: 'Secrets must be mounted as files, not exposed as environment variables',
  severity: 'medium',
  waivable: true,
  rationale: 'Environment variables leak into crash dumps, child processes, logs and `kubectl describe`; a mounted file can be rotated and is readable only by the process.',
  remediation: 'Mount the Secret as a volume (SecureWorkload prop secretFiles) instead of env valueFrom.secretKeyRef or envFrom.secretRef.',
  manifestRemediation: 'Replace env[].valueFrom.secretKeyRef and envFrom[].secretRef with a secret volume (volumes[].secret) mounted with volumeMounts[].readOnly: true.',
  references: [
    { source: 'CIS', id: '5.4.1' },
    { source: 'kube-linter', id: 'env-var-secret, read-secret-from-env-var' },
    { source: 'Checkov', id: 'CKV_K8S_35' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => containersOf(site.spec).flatMap((c) => {
      const out: Violation[] = [];
      (Array.isArray(c.container.env) ? c.container.env : []).forEach((e: any, i: number) => {
        if (e?.valueFrom?.secretKeyRef) {
          out.push({ path: join(site.path, c.path, `env[${i}]`), container: c.name, reason: 'secret in environment', detail: `container "${c.name}" reads secret "${e.valueFrom.secretKeyRef.name}" into env var ${e.name}` });
        }
      });
      (Array.isArray(c.container.envFrom) ? c.container.envFrom : []).forEach((e: any, i: number) => {
        if (e?.secretRef) {
          out.push({ path: join(site.path, c.path, `envFrom[${i}]`), container: c.name, reason: 'secret in environment', detail: `container "${c.name}" loads secret "${e.secretRef.name}" into its environment` });
        }
      });
      return out;
    }));
  },
};
