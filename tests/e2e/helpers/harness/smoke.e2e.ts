/**
 * Smoke test of the e2e harness itself: the control plane started by
 * global-setup.ts answers as the admin, and PodSecurity admission rejects a
 * privileged Pod in a namespace that enforces "restricted".
 */
import * as fs from 'fs';
import { request, RequestOptions } from './http';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through the e2e jest config (globalSetup: tests/e2e/helpers/harness/global-setup.ts)`);
  return v;
}

function api(p: string, opts: RequestOptions = {}) {
  return request(`${env('BULWARK_E2E_SERVER')}${p}`, {
    caPath: env('BULWARK_E2E_CA'),
    certPath: env('BULWARK_E2E_ADMIN_CERT'),
    keyPath: env('BULWARK_E2E_ADMIN_KEY'),
    ...opts,
  });
}

function post(p: string, obj: unknown) {
  return api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(obj) });
}

describe('e2e harness', () => {
  test('exports a kubeconfig and serves the API to the admin', async () => {
    expect(fs.readFileSync(env('BULWARK_E2E_KUBECONFIG'), 'utf8')).toContain(env('BULWARK_E2E_SERVER'));
    const res = await api('/api/v1/namespaces');
    expect(res.status).toBe(200);
    const names = (JSON.parse(res.body).items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system']));
  });

  test('PodSecurity rejects a privileged pod in a restricted namespace', async () => {
    const ns = `smoke-${Date.now()}`;
    expect((await post('/api/v1/namespaces', {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    })).status).toBe(201);
    // No controller-manager runs, so nothing creates the namespace's default ServiceAccount.
    expect((await post(`/api/v1/namespaces/${ns}/serviceaccounts`, {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' },
    })).status).toBe(201);
    const res = await post(`/api/v1/namespaces/${ns}/pods?dryRun=All`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/violates PodSecurity "restricted:latest"/);
  });
});
