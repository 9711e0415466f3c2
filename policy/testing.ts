/**
 * Jest matchers for users' own tests:
 *   import 'bulwark/testing'  (or '../policy/testing' inside this repo)
 *   expect(manifests).toPassPodSecurity('restricted', '1.36');
 *   expect(manifests).toHaveNoFindings();
 * `manifests` is an array of objects, a YAML or JSON string (multi-document, read exactly as kubectl
 * reads it), or a cdk8s Chart.
 */
import { evaluate, EvaluateOptions, unwaived } from './engine';
import { formatFindings } from './format';
import { parseManifests } from './manifests';
import { PodSecurityLevel } from './rules/pod-security';
import { KubeObject } from './types';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Every pod-carrying object is allowed by Pod Security `level` at `version` (e.g. "1.36"). */
      toPassPodSecurity(level: PodSecurityLevel, version?: string): R;
      /** No unwaived finding from the default packs (or the given options). */
      toHaveNoFindings(options?: EvaluateOptions): R;
      /** At least one unwaived finding of `ruleId`. */
      toHaveFinding(ruleId: string, options?: EvaluateOptions): R;
    }
  }
}

/**
 * Accepts objects, a YAML stream or anything with toJson() (a cdk8s Chart). A string is read as
 * Kubernetes reads it (YAML 1.1 scalars, merge keys, Lists flattened); anything Kubernetes would
 * read differently or not at all (a duplicate key, a document that is not an object) throws.
 */
export function toObjects(input: unknown): KubeObject[] {
  if (typeof input === 'string') {
    const { objects, problems } = parseManifests(input, 'YAML string');
    if (problems.length > 0) {
      throw new Error(`the YAML cannot be read as Kubernetes objects:\n${problems.map((p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${p.message}`).join('\n')}`);
    }
    return objects.map((o) => o.object);
  }
  if (Array.isArray(input)) return input as KubeObject[];
  if (input && typeof (input as any).toJson === 'function') return (input as any).toJson();
  if (input && typeof input === 'object' && typeof (input as any).kind === 'string') return [input as KubeObject];
  throw new Error('expected Kubernetes objects: an array, a YAML string or a cdk8s Chart');
}

function result(pass: boolean, ok: string, bad: string) {
  return { pass, message: () => (pass ? ok : bad) };
}

export const bulwarkMatchers = {
  toPassPodSecurity(received: unknown, level: PodSecurityLevel, version?: string) {
    const findings = unwaived(evaluate(toObjects(received), { kubernetesVersion: version, packs: [`pss-${level}`] }));
    return result(findings.length === 0,
      `expected Pod Security ${level} findings, found none`,
      `expected no Pod Security ${level} findings, found ${findings.length}:\n${formatFindings(findings)}`);
  },
  toHaveNoFindings(received: unknown, options: EvaluateOptions = {}) {
    const findings = unwaived(evaluate(toObjects(received), options));
    return result(findings.length === 0, 'expected findings, found none',
      `expected no unwaived findings, found ${findings.length}:\n${formatFindings(findings)}`);
  },
  toHaveFinding(received: unknown, ruleId: string, options: EvaluateOptions = {}) {
    const findings = unwaived(evaluate(toObjects(received), options));
    const hit = findings.some((f) => f.ruleId === ruleId);
    return result(hit, `expected no ${ruleId} finding, found:\n${formatFindings(findings.filter((f) => f.ruleId === ruleId))}`,
      `expected a ${ruleId} finding; found ${findings.length === 0 ? 'none' : `only:\n${formatFindings(findings)}`}`);
  },
};

if (typeof expect !== 'undefined' && typeof (expect as any).extend === 'function') {
  expect.extend(bulwarkMatchers);
}
