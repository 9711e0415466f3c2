import * as yaml from 'yaml';
import { buildApp, shippedStacks } from '../stacks/app';
import { ShopStack } from '../stacks/reference/shop';
import '../policy/testing';
import { KubeObject } from '../policy';
import { NOW } from './helpers';

describe.each(shippedStacks().map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  test('matches the snapshot', () => {
    expect(yaml.stringify(stack.objects)).toMatchSnapshot();
  });
  test('passes Pod Security restricted at its target and every later supported minor', () => {
    for (const v of ['1.36', '1.37']) expect(stack.objects).toPassPodSecurity('restricted', v);
  });
  test('has zero findings, waived or not', () => {
    expect(stack.objects).toHaveNoFindings({ now: NOW });
  });
});

test('the reference stack declares exactly its three connections', () => {
  const app = buildApp({ outdir: '/nonexistent' });
  // By id: cdk8s makes `instanceof` of any Chart subclass true for every chart.
  const shop = app.charts.find((c) => c.node.id === 'shop') as ShopStack;
  const objects = shop.toJson() as KubeObject[];
  const edges = objects.filter((o) => o.kind === 'NetworkPolicy').flatMap((np) =>
    (np.spec.ingress ?? []).flatMap((rule: any) => rule.from.map((f: any) => `${f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${f.podSelector?.matchLabels['app.kubernetes.io/name'] ?? '*'} -> ${np.metadata!.namespace}/${np.metadata!.name}:${rule.ports.map((p: any) => p.port).join(',')}`)));
  expect(edges.sort()).toEqual([
    'ingress-nginx/ingress-nginx -> shop-frontend/web:8080',
    'shop-backend/api -> shop-backend/db:5432',
    'shop-frontend/web -> shop-backend/api:8443',
  ]);
  expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name)).toEqual(['bulwark-system', 'shop-frontend', 'shop-backend']);
  expect(objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind)).map((o) => o.metadata!.name)).toEqual(['web', 'api', 'db']);
});
