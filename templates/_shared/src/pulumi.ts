import * as k8s from '@pulumi/kubernetes';
import { buildApp } from './app';

// `pulumi up`: the objects `npm run synth` writes, rendered and checked once by the BulwarkApp
// (an unwaived finding throws before anything is registered), one ConfigGroup per chart, which
// creates namespaces before the objects that live in them.
for (const { chart, objects } of buildApp().synthesizeCharts()) {
  new k8s.yaml.v2.ConfigGroup(chart.node.id, { objs: objects.map((o) => o.json) });
}
