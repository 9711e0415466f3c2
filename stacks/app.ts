import { App, AppProps } from 'cdk8s';
import { ShopStack } from './reference/shop';

/** Every stack Bulwark ships, in one cdk8s App. The cdk8s and Pulumi entry points both use it. */
export function buildApp(props: AppProps = {}): App {
  const app = new App({ outdir: 'dist', yamlOutputType: undefined, ...props });
  new ShopStack(app, 'shop');
  return app;
}
