import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { parseSecretRef, resolveSecretRef, SecretSource } from '../constructs';
import { buildApp } from '../stacks/app';
import { writeControlPlaneFiles } from '../stacks/control-plane-files';
import { filesForRole, provisionControlPlaneFiles } from '../stacks/provision-control-plane';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-provision-'));
const KEY = crypto.randomBytes(32).toString('base64');

/** dist/control-plane/ of the reference stack, synthesized while the key is in the environment. */
function dist(): string {
  const out = tmp();
  process.env.BULWARK_ENCRYPTION_KEY = KEY;
  try {
    writeControlPlaneFiles(buildApp({ outdir: out }), out);
  } finally {
    delete process.env.BULWARK_ENCRYPTION_KEY;
  }
  return path.join(out, 'control-plane');
}

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

const from = dist();

test('no key reaches dist/, even when it is in the environment at synth', () => {
  for (const f of fs.readdirSync(from)) expect(fs.readFileSync(path.join(from, f), 'utf8')).not.toContain(KEY);
});

test('materializes the key from the environment into a 0600 file on the node; other files are copied as they are', () => {
  const to = path.join(tmp(), 'etc');
  const written = provisionControlPlaneFiles(from, to, { env: { BULWARK_ENCRYPTION_KEY: KEY } }).map((f) => path.basename(f));
  expect(written).toEqual(['admission-configuration.yaml', 'audit-policy.yaml', 'authentication-configuration.yaml', 'encryption-configuration.yaml', 'kube-apiserver-flags.yaml', 'kubeadm-init.yaml', 'kubelet-configuration.yaml']);
  const enc = parse(fs.readFileSync(path.join(to, 'encryption-configuration.yaml'), 'utf8'));
  expect(enc.resources[0].providers[0].secretbox.keys[0]).toEqual({ name: 'key1', secret: KEY });
  expect(fs.statSync(path.join(to, 'encryption-configuration.yaml')).mode & 0o777).toBe(0o600);
  expect(fs.statSync(to).mode & 0o777).toBe(0o700);
  expect(fs.readFileSync(path.join(to, 'audit-policy.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(from, 'audit-policy.yaml'), 'utf8'));
});

test('a worker gets the join files with its token and CA hash', () => {
  const to = tmp();
  const token = 'abcdef.0123456789abcdef';
  const hash = `sha256:${'a'.repeat(64)}`;
  provisionControlPlaneFiles(from, to, { role: 'worker', env: { BULWARK_JOIN_TOKEN: token, BULWARK_CA_CERT_HASH: hash } });
  expect(fs.readdirSync(to).sort()).toEqual(['kubeadm-join-payments.yaml', 'kubeadm-join-shop-data.yaml', 'kubeadm-join.yaml']);
  const join = parse(fs.readFileSync(path.join(to, 'kubeadm-join-shop-data.yaml'), 'utf8'));
  expect(join.discovery.bootstrapToken).toMatchObject({ token, caCertHashes: [hash] });
  expect(join.nodeRegistration.taints).toEqual([{ key: 'bulwark.dev/dedicated', value: 'shop-data', effect: 'NoSchedule' }]);
});

test('a missing key is a clear error, and nothing is written', () => {
  const to = path.join(tmp(), 'etc');
  expect(thrown(() => provisionControlPlaneFiles(from, to, { env: {} }))).toBe(`cannot provision ${from} into ${to}:\n  encryption-configuration.yaml [0].resources[0].providers[0].secretbox.keys[0].secret needs the base64 encoding of exactly 32 random bytes in the environment variable BULWARK_ENCRYPTION_KEY, which is not set. Create one (head -c 32 /dev/urandom | base64) and export BULWARK_ENCRYPTION_KEY, or reference a file with SecretSource.file(...).`);
  expect(fs.existsSync(to)).toBe(false);
});

test('a malformed key or token is refused', () => {
  expect(thrown(() => provisionControlPlaneFiles(from, tmp(), { env: { BULWARK_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') } }))).toContain('the environment variable BULWARK_ENCRYPTION_KEY does not hold the base64 encoding of exactly 32 random bytes');
  expect(thrown(() => provisionControlPlaneFiles(from, tmp(), { role: 'worker', env: { BULWARK_JOIN_TOKEN: 'secret', BULWARK_CA_CERT_HASH: `sha256:${'a'.repeat(64)}` } }))).toContain('does not hold a kubeadm bootstrap token');
});

test('a key can come from a file on the node', () => {
  const keyFile = path.join(tmp(), 'encryption.key');
  fs.writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  const ref = parseSecretRef(SecretSource.file(keyFile).reference('encryption-key'))!;
  expect(resolveSecretRef(ref, 'here', {}, (p) => fs.readFileSync(p, 'utf8'))).toBe(KEY);
  expect(thrown(() => resolveSecretRef(parseSecretRef(SecretSource.file('/nonexistent/key').reference('encryption-key'))!, 'here', {}, (p) => fs.readFileSync(p, 'utf8')))).toContain('in the file /nonexistent/key, which cannot be read (ENOENT)');
});

test('roles pick the files a node needs', () => {
  const names = ['audit-policy.yaml', 'kind-cluster.yaml', 'kubeadm-init.yaml', 'kubeadm-join.yaml', 'kubeadm-join-pool.yaml'];
  expect(filesForRole(names, 'control-plane')).toEqual(['audit-policy.yaml', 'kubeadm-init.yaml']);
  expect(filesForRole(names, 'worker')).toEqual(['kubeadm-join.yaml', 'kubeadm-join-pool.yaml']);
  expect(filesForRole(names, 'all')).toEqual(names);
});
