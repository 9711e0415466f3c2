import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject } from 'cdk8s';
import { buildApp } from './app';

/**
 * Pulumi entry point (Pulumi.yaml): registers exactly the objects `npm run synth` writes, one
 * ConfigGroup per chart, after the same synth-time policy validation (toJson() runs it).
 * Config `bulwark:renderDir` makes Pulumi write manifests there instead of applying them.
 */
const config = new pulumi.Config('bulwark');
const renderDir = config.get('renderDir');
const provider = renderDir ? new k8s.Provider('render', { renderYamlToDirectory: renderDir }) : undefined;

const app = buildApp({ outdir: 'dist' });
export const objectCounts: Record<string, number> = {};
for (const chart of app.charts) {
  chart.toJson(); // validates the chart: any unwaived finding throws before anything is registered
  const objs = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
  objectCounts[chart.node.id] = objs.length;
  new k8s.yaml.v2.ConfigGroup(chart.node.id, { objs }, provider ? { provider } : undefined);
}
