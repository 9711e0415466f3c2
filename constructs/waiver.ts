import { ApiObject } from 'cdk8s';
import { CATALOG_BY_ID } from '../policy/catalog';
import { WAIVERS_ANNOTATION, WaiverSpec } from '../policy/types';
import { ADMISSION_WAIVER_PREFIX, waiverProblems, writeAdmissionWaivers, writeWaivers } from '../policy/waivers';

export interface WaiverOptions {
  /** Why the risk is acceptable here; at least 20 characters. */
  readonly reason: string;
  /** Who answers for the waiver, e.g. a team or an e-mail address. @default - no owner is recorded */
  readonly owner?: string;
  /**
   * Date (YYYY-MM-DD, UTC) after which the waiver stops applying and synth fails again.
   * @default - the waiver does not expire; prefer an expiry for anything temporary
   */
  readonly expires?: string;
}

/**
 * The single, typed way to relax a rule: a rule id, a reason, an optional owner and expiry,
 * scoped to one object or one container. It is written into the output as the
 * `bulwark.dev/waivers` annotation and shows up in findings as waived.
 */
export class Waiver {
  /** Throws at once for an unknown or non-waivable rule, a short reason, or a past expiry. */
  public static of(ruleId: string, options: WaiverOptions): Waiver {
    const spec: WaiverSpec = { rule: ruleId, ...options };
    // The real clock, always: no parameter lets a stack move time back to revive an expired waiver.
    const problems = waiverProblems(spec, CATALOG_BY_ID.get(ruleId), new Date());
    if (problems.length > 0) {
      throw new Error(`Waiver.of("${ruleId}"): ${problems.join('; ')} (rule waivers/valid-waiver). Name an existing waivable rule (see docs/rules.md), give a reason of at least 20 characters and a future expiry.`);
    }
    return new Waiver(ruleId, options);
  }

  private constructor(public readonly ruleId: string, private readonly options: WaiverOptions) {}

  public get reason(): string { return this.options.reason; }
  public get owner(): string | undefined { return this.options.owner; }
  public get expires(): string | undefined { return this.options.expires; }

  /** The waiver as the annotation records it, optionally scoped to one container. */
  public toSpec(container?: string): WaiverSpec {
    return {
      rule: this.ruleId,
      reason: this.options.reason,
      ...(this.options.owner ? { owner: this.options.owner } : {}),
      ...(this.options.expires ? { expires: this.options.expires } : {}),
      ...(container ? { container } : {}),
    };
  }
}

const attached = new WeakMap<ApiObject, WaiverSpec[]>();

/**
 * Attaches waivers to one API object (or to one of its containers) by writing the annotation,
 * and, for the rules the cluster's guardrails enforce, the CEL-readable annotations the API server
 * reads (`waiver.bulwark.dev/<domain>.<name>`, policy/waivers.ts). BulwarkApp copies both onto
 * the object's pod template, so that the Pods (and a CronJob's Jobs) its controller makes carry
 * them. This is also the escape hatch for objects Bulwark did not create.
 */
export function attachWaivers(object: ApiObject, waivers: readonly Waiver[], container?: string): void {
  if (waivers.length === 0) return;
  const list = [...(attached.get(object) ?? []), ...waivers.map((w) => w.toSpec(container))];
  attached.set(object, list);
  object.metadata.addAnnotation(WAIVERS_ANNOTATION, writeWaivers(list));
  for (const [key, value] of Object.entries(writeAdmissionWaivers(list, CATALOG_BY_ID))) object.metadata.addAnnotation(key, value);
}

/** Kinds whose controllers make Pods (or Jobs) from a template, and where that template's metadata is. */
const TEMPLATE_METADATA: Record<string, ReadonlyArray<readonly string[]>> = {
  Deployment: [['spec', 'template', 'metadata']],
  StatefulSet: [['spec', 'template', 'metadata']],
  DaemonSet: [['spec', 'template', 'metadata']],
  ReplicaSet: [['spec', 'template', 'metadata']],
  ReplicationController: [['spec', 'template', 'metadata']],
  Job: [['spec', 'template', 'metadata']],
  CronJob: [['spec', 'jobTemplate', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']],
};

/**
 * Copies an object's waiver annotations (both forms) onto the metadata of the templates its
 * controller makes Pods and Jobs from: a Pod made by a ReplicaSet carries its template's
 * annotations, not the Deployment's, and the pod guardrails judge that Pod on its own. Returns
 * the object, changed in place; objects without waivers or templates are left alone.
 */
export function propagateWaivers(json: any): any {
  const paths = TEMPLATE_METADATA[json?.kind];
  const annotations: Record<string, string> | undefined = json?.metadata?.annotations;
  if (!paths || !annotations) return json;
  const waivers = Object.entries(annotations).filter(([k]) => k === WAIVERS_ANNOTATION || k.startsWith(ADMISSION_WAIVER_PREFIX));
  if (waivers.length === 0) return json;
  for (const path of paths) {
    let at = json;
    for (const key of path) {
      if (at[key] === undefined || at[key] === null) at[key] = {};
      at = at[key];
    }
    at.annotations = { ...(at.annotations ?? {}), ...Object.fromEntries(waivers) };
  }
  return json;
}
