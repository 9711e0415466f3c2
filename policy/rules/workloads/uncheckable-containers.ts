import { isConfigFile } from '../../config-files';
import { POD_SEARCH_DEPTH, podSitesIn } from '../../pod-spec';
import { KubeObject, Rule, Violation } from '../../types';

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/**
 * Fields outside any pod spec that run containers the pod rules never see: an object with a string
 * `image` (an Argo Workflow template's container or script, a Tekton step or sidecar, an
 * operator's own container settings), and Argo's podSpecPatch, a pod spec written as a string.
 * One iterative walk, each node visited once and pod specs the engine checks skipped: linear in
 * the object's size. Past POD_SEARCH_DEPTH nothing is read, which is reported too (pod specs are
 * not searched there either).
 */
function uncheckedContainers(object: KubeObject, checked: ReadonlySet<object>): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<object>();
  const stack: Array<{ value: any; path: string; depth: number }> = [];
  const top = Object.keys(object).filter((k) => k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind');
  for (const k of top.reverse()) stack.push({ value: (object as any)[k], path: key(k).replace(/^\./, ''), depth: 1 });
  let tooDeep: string | undefined;
  if (typeof (object as any).image === 'string') {
    out.push({ path: 'image', reason: 'container outside a pod spec', detail: `the object runs image "${(object as any).image}" outside any pod spec, so no pod rule checks it` });
  }
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (!value || typeof value !== 'object' || seen.has(value) || checked.has(value)) continue;
    seen.add(value);
    if (depth > POD_SEARCH_DEPTH) {
      tooDeep ??= path;
      continue;
    }
    if (!Array.isArray(value)) {
      if (typeof value.image === 'string') {
        out.push({
          path, reason: 'container outside a pod spec',
          detail: `${path} runs image "${value.image}" outside any pod spec, so no pod rule checks it (privilege, capabilities, host access, registry)`,
        });
        continue;
      }
      if (typeof value.podSpecPatch === 'string' && value.podSpecPatch.trim() !== '') {
        out.push({
          path: `${path}.podSpecPatch`, reason: 'pod spec patch',
          detail: `${path}.podSpecPatch patches the pods it runs with a pod spec written as a string, which no pod rule reads`,
        });
      }
    }
    const entries: Array<[string, any]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i];
      if (!v || typeof v !== 'object') continue;
      stack.push({ value: v, path: Array.isArray(value) ? `${path}[${k}]` : `${path}${key(k)}`, depth: depth + 1 });
    }
  }
  if (tooDeep !== undefined) {
    out.push({ path: tooDeep, reason: 'nested too deep to check', detail: `${tooDeep} is nested more than ${POD_SEARCH_DEPTH} levels deep: neither pod specs nor containers are searched there` });
  }
  return out;
}

export const uncheckableContainers: Rule = {
  id: 'workloads/uncheckable-containers',
  title: 'Containers must run from a pod spec the engine checks',
  severity: 'high',
  waivable: true,
  rationale: 'Every pod rule reads pod specs: the fixed one of Pods, PodTemplates and the workload controllers, and any PodSpec or '
    + 'PodTemplateSpec embedded in another kind. Some kinds run containers described otherwise: an Argo Workflow template\'s container, '
    + 'script or containerSet and its podSpecPatch (a pod spec as a string), a Tekton Task\'s steps and sidecars, an operator\'s own image '
    + 'settings. Their controller builds the pod from them, so a privileged container, a host path or an untrusted registry there passes '
    + 'every pod rule unseen. Fail closed: an object carrying a container-like object (one with a string image) outside a checked pod '
    + 'spec, or a podSpecPatch, is flagged until someone reviews it; so is nesting deeper than the engine searches.',
  remediation: 'Run the workload as a Deployment, StatefulSet, Job or CronJob (SecureWorkload), or a kind that embeds a full pod template; where a workflow engine is really needed, enforce Pod Security on its namespace (IsolatedNamespace) and waive this rule on the object with the reason it was reviewed.',
  manifestRemediation: 'Move the container into a pod template (spec.template.spec.containers[] of a Deployment, Job or CronJob); for an Argo Workflow or Tekton Task that must stay, remove podSpecPatch, run it in a namespace labelled pod-security.kubernetes.io/enforce: restricted, and add a bulwark.dev/waivers entry for this rule saying who reviewed it.',
  references: [
    { source: 'Kubernetes', id: 'Pod Security Admission (checks the pods the controllers create)', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
    { source: 'Argo Workflows', id: 'Workflow spec: templates, podSpecPatch', url: 'https://argo-workflows.readthedocs.io/en/latest/fields/' },
    { source: 'Tekton', id: 'Task steps and sidecars', url: 'https://tekton.dev/docs/pipelines/tasks/' },
  ],
  check(object, context): Violation[] {
    if (!object || typeof object !== 'object' || isConfigFile(object)) return [];
    return uncheckedContainers(object, new Set(podSitesIn(object, context).map((site) => site.spec)));
  },
};
