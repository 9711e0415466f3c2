import { BulwarkAppProps } from '../constructs';
import { KubeObject } from '../policy';
import { ClusterBlueprint } from './blueprint';
import { ACME_REGISTRIES, acmeCluster } from './reference/acme';
import { ReferenceControlPlaneOptions } from './reference/control-plane';
import { helloCluster } from './reference/hello';

/** The registries the reference cluster's images come from. */
export const REFERENCE_REGISTRIES = ACME_REGISTRIES;

/**
 * The reference cluster (stacks/reference/acme.ts), as the cdk8s entry point (main.ts), the
 * Pulumi program and the test suites all build it, so all deploy the same checked objects.
 * `props.outdir` and `props.environment` override its defaults; `options.controlPlane` moves its
 * control plane's paths and identity provider.
 */
export function buildApp(props: Pick<BulwarkAppProps, 'outdir' | 'environment'> = {}, options: { controlPlane?: ReferenceControlPlaneOptions } = {}): ClusterBlueprint {
  return acmeCluster({ outdir: props.outdir, environment: props.environment, controlPlane: options.controlPlane });
}

/**
 * Every reference cluster, each synthesized into its own folder of dist/ with its control-plane
 * files. To add a cluster: write a function returning a ClusterBlueprint and list it here; to add a
 * team to a cluster: `new TeamStack(...)` (or a subclass) in that function.
 */
export function referenceClusters(): ClusterBlueprint[] {
  return [buildApp(), helloCluster()];
}

/** The reference cluster's charts, rendered and checked once (what the real-cluster suite applies). */
export function shippedStacks(): Array<{ name: string; objects: KubeObject[] }> {
  return stacksOf(buildApp());
}

/** Every chart of every reference cluster, named "<cluster>/<chart>". */
export function allReferenceStacks(): Array<{ name: string; objects: KubeObject[] }> {
  return referenceClusters().flatMap((c) => stacksOf(c).map((s) => ({ ...s, name: `${c.name}/${s.name}` })));
}

function stacksOf(app: ClusterBlueprint): Array<{ name: string; objects: KubeObject[] }> {
  return app.synthesizeCharts().map((c) => ({ name: c.chart.node.id, objects: c.objects.map((o) => o.json) }));
}
