import '{{bulwarkPackage}}/testing';
import { buildApp, KUBERNETES_VERSION } from '../src/app';

/** Every object of the App, rendered and checked once, exactly as `npm run synth` writes them. */
const objects = () => buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

test('no unwaived finding of the rule catalog', () => {
  expect(objects()).toHaveNoFindings({ kubernetesVersion: KUBERNETES_VERSION });
});

test('every pod passes Pod Security "restricted" at the cluster\'s version', () => {
  expect(objects()).toPassPodSecurity('restricted', KUBERNETES_VERSION);
});

test('the manifests are the reviewed ones (after a deliberate change: npx jest -u)', () => {
  expect(buildApp().synthYaml()).toMatchSnapshot();
});
