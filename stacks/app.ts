import { App, AppProps } from 'cdk8s';
import { KubeObject } from '../policy';
import { ShopStack } from './reference/shop';

/** Every stack Bulwark ships, in one cdk8s App. The cdk8s and Pulumi entry points both use it. */
export function buildApp(props: AppProps = {}): App {
  const app = new App({ outdir: 'dist', yamlOutputType: undefined, ...props });
  new ShopStack(app, 'shop');
  return app;
}

/** Every shipped stack's objects, synthesized in memory (synth-time validation included). */
export function shippedStacks(): Array<{ name: string; objects: KubeObject[] }> {
  return buildApp({ outdir: 'dist' }).charts.map((chart) => ({ name: chart.node.id, objects: chart.toJson() as KubeObject[] }));
}
