import { BulwarkApp, BulwarkAppProps } from '../constructs';
import { KubeObject } from '../policy';
import { ShopStack } from './reference/shop';
import { STOREFRONT_REGISTRY, StorefrontStack } from './reference/storefront';

/** The registries the reference stacks' images come from. */
export const REFERENCE_REGISTRIES = ['registry.example.com/shop', STOREFRONT_REGISTRY];

/**
 * Every stack Bulwark ships, in one BulwarkApp. The cdk8s entry point (main.ts), the Pulumi
 * program (pulumi.ts) and the test suites all build it here, so all deploy the same checked objects.
 */
export function buildApp(props: BulwarkAppProps = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', trustedRegistries: REFERENCE_REGISTRIES, ...props });
  new StorefrontStack(app, 'storefront');
  new ShopStack(app, 'shop');
  return app;
}

/** Every shipped stack's objects, rendered and checked once as one App. */
export function shippedStacks(): Array<{ name: string; objects: KubeObject[] }> {
  return buildApp().synthesizeCharts().map((c) => ({ name: c.chart.node.id, objects: c.objects.map((o) => o.json) }));
}
