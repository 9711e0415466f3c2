import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { buildApp } from './app';

/**
 * Pulumi entry point (Pulumi.yaml): registers exactly the objects `npm run synth` writes. They
 * come from BulwarkApp.synthesizeCharts(), which renders every object of the App once and checks
 * them all against the rule catalog with the whole App as context: any unwaived finding throws
 * before anything is registered. Config `bulwark:renderDir` makes Pulumi write manifests there
 * instead of applying them.
 */
const config = new pulumi.Config('bulwark');
const renderDir = config.get('renderDir');
const provider = renderDir ? new k8s.Provider('render', { renderYamlToDirectory: renderDir }) : undefined;

export const objectCounts: Record<string, number> = {};
for (const { chart, objects } of buildApp().synthesizeCharts()) {
  const objs = objects.map((o) => o.json);
  objectCounts[chart.node.id] = objs.length;
  new k8s.yaml.v2.ConfigGroup(chart.node.id, { objs }, provider ? { provider } : undefined);
}
