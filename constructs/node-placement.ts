/**
 * The contract between workloads and node pools, in its own module so that SecureWorkload
 * (which accepts a pool) and DedicatedNodePool (which places workloads) do not import each other.
 */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal';
  readonly value: string;
  readonly effect: 'NoSchedule' | 'NoExecute';
}

/** What a pod needs to run on a pool, and only there. */
export interface Placement {
  readonly tolerations: readonly Toleration[];
  /** A required node affinity term: the pool's node label. */
  readonly nodeSelectorTerm: { readonly matchExpressions: ReadonlyArray<{ key: string; operator: 'In'; values: string[] }> };
}

export interface INodePool {
  readonly poolName: string;
  /** The placement for pods of `namespace`; throws when the namespace may not use the pool. */
  placementFor(namespace: string, who: string): Placement;
}
