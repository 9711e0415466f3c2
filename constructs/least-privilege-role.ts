import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject, WAIVERS_ANNOTATION } from '../policy/types';
import { writeWaivers } from '../policy/waivers';
import { refuseFindings } from './engine-check';
import { BulwarkChart } from './bulwark-chart';
import { assertDnsLabel, BulwarkError } from './errors';
import { IsolatedNamespace } from './isolated-namespace';
import { attachWaivers, Waiver } from './waiver';

/** One grant: exact groups, resources and verbs, optionally narrowed to named objects. */
export interface Grant {
  /** API groups, "" for the core group. */
  readonly apiGroups: readonly string[];
  /** Resources, e.g. "configmaps" or "deployments/scale". */
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** @default - every object of those resources in scope */
  readonly resourceNames?: readonly string[];
}

/** Who a role is bound to. */
export class RoleSubject {
  /** A ServiceAccount, e.g. a SecureWorkload's (`RoleSubject.serviceAccount(workload.serviceAccountRef)`). */
  public static serviceAccount(name: string, namespace: string): RoleSubject {
    return new RoleSubject({ kind: 'ServiceAccount', name, namespace });
  }
  public static group(name: string): RoleSubject {
    return new RoleSubject({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
  }
  public static user(name: string): RoleSubject {
    return new RoleSubject({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
  }
  private constructor(public readonly subject: { kind: string; name: string; namespace?: string; apiGroup?: string }) {}
}

export interface LeastPrivilegeRoleProps {
  /** The namespace the Role grants in. Required unless clusterRole is set. */
  readonly namespace?: IsolatedNamespace;
  /** @default - the construct id */
  readonly name?: string;
  /**
   * Make it a ClusterRole. Only when asked for by name, with the reason cluster scope is needed.
   * @default - a namespaced Role
   */
  readonly clusterRole?: { readonly reason: string };
  /** Waivers for the role and its bindings. @default - none */
  readonly waivers?: readonly Waiver[];
}

const KIND_TO_RESOURCE: Record<string, [string, string]> = {
  ConfigMap: ['', 'configmaps'], Secret: ['', 'secrets'], Service: ['', 'services'], ServiceAccount: ['', 'serviceaccounts'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'], Deployment: ['apps', 'deployments'], StatefulSet: ['apps', 'statefulsets'],
  Job: ['batch', 'jobs'], CronJob: ['batch', 'cronjobs'], Lease: ['coordination.k8s.io', 'leases'],
};

/**
 * A Role (a ClusterRole only when asked for, with a reason) built from explicit grants. Every
 * rbac/ rule of the catalog is checked as each grant and binding is added, so wildcards,
 * escalate/bind/impersonate, exec/attach/port-forward, nodes/proxy, secret listing and creation,
 * webhook, admission-policy and CSR APIs, namespace and node relabelling, and bindings to
 * cluster-admin/admin/edit, system:masters or catch-all groups (system:authenticated, ...) are
 * refused unless waived.
 */
export class LeastPrivilegeRole extends Construct {
  public readonly name: string;
  public readonly namespace?: IsolatedNamespace;
  /** The Role or ClusterRole object. */
  public readonly resource: ApiObject;
  private readonly rules: Grant[] = [];
  private readonly waivers: readonly Waiver[];
  private readonly who: string;
  private readonly chart: BulwarkChart;

  constructor(scope: Construct, id: string, props: LeastPrivilegeRoleProps = {}) {
    super(scope, id);
    this.who = `LeastPrivilegeRole "${id}"`;
    this.chart = BulwarkChart.enclosing(this, this.who);
    this.name = props.name ?? id;
    assertDnsLabel(this.who, 'name', this.name);
    this.waivers = props.waivers ?? [];
    const cluster = props.clusterRole !== undefined;
    if (cluster && (props.clusterRole!.reason ?? '').trim().length < 20) {
      throw new BulwarkError(this.who, 'clusterRole.reason', props.clusterRole!.reason, 'rbac/no-wildcards', 'is too short to justify cluster-wide scope',
        'Say in at least 20 characters why a namespaced Role cannot do, or drop clusterRole.');
    }
    if (!cluster && !props.namespace) {
      throw new BulwarkError(this.who, 'namespace', undefined, 'rbac/no-wildcards', 'is required for a namespaced Role',
        'Pass the IsolatedNamespace the grants apply in, or ask for clusterRole with a reason.');
    }
    if (cluster && props.namespace) {
      throw new BulwarkError(this.who, 'namespace', props.namespace.name, 'rbac/no-wildcards', 'does not apply to a ClusterRole', 'Remove namespace or clusterRole.');
    }
    this.namespace = props.namespace;
    const rules = this.rules;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRole' : 'Role',
      metadata: {
        name: this.name,
        ...(this.namespace ? { namespace: this.namespace.name } : {}),
        ...(cluster ? { annotations: { 'bulwark.dev/cluster-scope-reason': props.clusterRole!.reason } } : {}),
      },
      rules: Lazy.any({ produce: () => rules.map(renderGrant) }),
    });
    attachWaivers(this.resource, this.waivers);
  }

  /** Adds one explicit grant; refused at once when an RBAC rule forbids it and no waiver covers it. */
  public allow(grant: Grant): Grant {
    for (const [prop, values] of [['apiGroups', grant.apiGroups], ['resources', grant.resources], ['verbs', grant.verbs]] as const) {
      if (!Array.isArray(values) || values.length === 0) {
        throw new BulwarkError(this.who, `allow ${prop}`, values, 'rbac/no-wildcards', 'is empty', `List the exact ${prop} needed.`);
      }
    }
    if (grant.resourceNames !== undefined && grant.resourceNames.length === 0) {
      throw new BulwarkError(this.who, 'allow resourceNames', [], 'rbac/secrets-by-name', 'is empty, which Kubernetes reads as every object',
        'Name the objects, or leave resourceNames out on purpose to grant all of them.');
    }
    const candidate: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: this.resource.kind,
      metadata: { name: this.name, namespace: this.namespace?.name }, rules: [renderGrant(grant)],
    };
    this.refuseUnlessWaived(candidate, 'allow', renderGrant(grant));
    this.rules.push(grant);
    return grant;
  }

  /** Read (get, by name) one object this chart created, e.g. a ConfigMap or a Secret. */
  public grantRead(target: ApiObject | Construct): Grant {
    const o = target instanceof ApiObject ? target : ApiObject.of(target);
    const gr = KIND_TO_RESOURCE[o.kind];
    if (!gr) {
      throw new BulwarkError(this.who, 'grantRead target', o.kind, 'rbac/no-wildcards', 'is not a kind grantRead knows',
        `Use allow({ apiGroups, resources, verbs: ['get'], resourceNames: ['${o.name}'] }).`);
    }
    return this.allow({ apiGroups: [gr[0]], resources: [gr[1]], verbs: ['get'], resourceNames: [o.name] });
  }

  /** Binds the role to subjects; returns the RoleBinding (or ClusterRoleBinding). */
  public bind(id: string, ...subjects: RoleSubject[]): ApiObject {
    if (subjects.length === 0) throw new BulwarkError(this.who, 'bind subjects', [], 'rbac/no-privileged-bindings', 'is empty', 'Name at least one subject.');
    const cluster = this.resource.kind === 'ClusterRole';
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: { name: `${this.name}-${id}`, ...(this.namespace ? { namespace: this.namespace.name } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: this.resource.kind, name: this.name },
      subjects: subjects.map((s) => ({ ...s.subject })),
    };
    this.refuseUnlessWaived(binding, 'bind', subjects.map((s) => `${s.subject.kind} ${s.subject.namespace ? `${s.subject.namespace}/` : ''}${s.subject.name}`).join(', '), [this.resource.toJson() as KubeObject]);
    const obj = new ApiObject(this, `Binding-${id}`, binding);
    attachWaivers(obj, this.waivers);
    return obj;
  }

  /** Asks the engine about the candidate object, carrying this role's waivers as it will be written. */
  private refuseUnlessWaived(candidate: KubeObject, prop: string, value: unknown, context: KubeObject[] = []): void {
    const waived: KubeObject = this.waivers.length === 0 ? candidate : {
      ...candidate,
      metadata: { ...candidate.metadata, annotations: { ...candidate.metadata?.annotations, [WAIVERS_ANNOTATION]: writeWaivers(this.waivers.map((w) => w.toSpec())) } },
    };
    refuseFindings(this.who, this.chart, [waived], { propOf: () => ({ prop, value }), context });
  }
}

function renderGrant(g: Grant): Record<string, string[]> {
  return {
    apiGroups: [...g.apiGroups],
    resources: [...g.resources],
    verbs: [...g.verbs],
    ...(g.resourceNames && g.resourceNames.length > 0 ? { resourceNames: [...g.resourceNames] } : {}),
  };
}
