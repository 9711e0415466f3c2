import { BulwarkApp, BulwarkAppProps } from '../constructs';
import { KubeObject } from '../policy';
import { referenceControlPlane, ReferenceControlPlaneOptions } from './reference/control-plane';
import { ShopStack } from './reference/shop';
import { STOREFRONT_REGISTRY, StorefrontStack } from './reference/storefront';

/** The registries the reference stacks' images come from. */
export const REFERENCE_REGISTRIES = ['registry.example.com/shop', STOREFRONT_REGISTRY];

/**
 * Every stack Bulwark ships, in one BulwarkApp, with the reference control plane. The cdk8s entry
 * point (main.ts), the Pulumi program (pulumi.ts) and the test suites all build it here, so all
 * deploy the same checked objects; `options.controlPlane` moves the control plane's paths and
 * identity provider (the real-cluster suite points them at its own).
 */
export function buildApp(props: BulwarkAppProps = {}, options: { controlPlane?: ReferenceControlPlaneOptions } = {}): BulwarkApp {
  const app = new BulwarkApp({ outdir: 'dist', trustedRegistries: REFERENCE_REGISTRIES, ...props });
  // The control plane's files (dist/control-plane/): people sign in through OIDC, with the prefix
  // the shop's team role binding uses.
  const controlPlane = referenceControlPlane(app, options.controlPlane);
  new StorefrontStack(app, 'storefront');
  new ShopStack(app, 'shop', { signIn: controlPlane.authentication });
  return app;
}

/** Every shipped stack's objects, rendered and checked once as one App. */
export function shippedStacks(): Array<{ name: string; objects: KubeObject[] }> {
  return buildApp().synthesizeCharts().map((c) => ({ name: c.chart.node.id, objects: c.objects.map((o) => o.json) }));
}
