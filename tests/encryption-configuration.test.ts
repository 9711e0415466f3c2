import { EncryptionConfiguration, EncryptionProvider, SecretSource } from '../constructs';
import { controlPlaneFindings } from '../constructs/control-plane-file';
import { newApp } from './helpers';

const make = (props: ConstructorParameters<typeof EncryptionConfiguration>[2] = {}) => new EncryptionConfiguration(newApp(), 'encryption', props);

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('defaults', () => {
  const e = make();
  const doc = e.toDocument();

  test('matches the snapshot and has no finding', () => {
    expect(doc).toMatchSnapshot();
    expect(controlPlaneFindings([doc])).toEqual([]);
  });

  test('CIS 1.2.28: Secrets written with secretbox, no identity fallback', () => {
    expect(doc.resources).toEqual([{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key1', secret: 'bulwark-secret:encryption-key:env:BULWARK_ENCRYPTION_KEY' } ] } }] }]);
    expect(JSON.stringify(doc)).not.toContain('identity');
  });

  test('CIS 1.2.27: the flag that loads it', () => {
    expect(e.apiServerFlags('/etc/kubernetes/bulwark')).toEqual({ 'encryption-provider-config': '/etc/kubernetes/bulwark/encryption-configuration.yaml' });
  });

  test('holds a reference, never a key, even when the key is in the environment at synth', () => {
    process.env.BULWARK_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
    try {
      expect(JSON.stringify(make().toDocument())).not.toContain(process.env.BULWARK_ENCRYPTION_KEY);
    } finally {
      delete process.env.BULWARK_ENCRYPTION_KEY;
    }
  });
});

test('KMS v2 first, then the old local key for reading, and more resources', () => {
  const e = make({
    resources: ['secrets', 'configmaps'],
    providers: [EncryptionProvider.kms({ name: 'vault', endpoint: 'unix:///var/run/kms/vault.sock' }), EncryptionProvider.secretbox({ name: 'old', source: SecretSource.file('/etc/kubernetes/keys/old.key') })],
  });
  expect(e.toDocument().resources[0]).toEqual({
    resources: ['secrets', 'configmaps'],
    providers: [
      { kms: { apiVersion: 'v2', name: 'vault', endpoint: 'unix:///var/run/kms/vault.sock', timeout: '3s' } },
      { secretbox: { keys: [{ name: 'old', secret: 'bulwark-secret:encryption-key:file:/etc/kubernetes/keys/old.key' }] } },
    ],
  });
});

test('a migration keeps identity last, through an expiring waiver written into the file', () => {
  const e = make({ migration: { reason: 'existing Secrets are rewritten by the migration job', expires: '2026-12-15' } });
  expect(e.toDocument().resources[0].providers.map((p: object) => Object.keys(p)[0])).toEqual(['secretbox', 'identity']);
  expect(e.controlPlaneFiles()['encryption-configuration.yaml'].header).toContain('Waived: control-plane/encryption-identity-fallback: existing Secrets are rewritten by the migration job (expires 2026-12-15)');
  expect(thrown(() => make({ migration: { reason: 'existing Secrets are rewritten', expires: '2026-01-01' } }))).toContain('waivers/valid-waiver');
});

test('refuses configurations that leave Secrets in plain text or mis-name keys', () => {
  expect(thrown(() => make({ resources: ['configmaps'] }))).toBe(
    'EncryptionConfiguration "encryption": resources ["configmaps"] is refused: EncryptionConfiguration has no entry for "secrets": Secrets are stored in plain text (rule control-plane/encryption-providers). '
    + 'Cover "secrets" (and any other sensitive resource) with a KMS v2 provider first, or secretbox (or aescbc) with a key provisioned on the node.');
  expect(thrown(() => EncryptionProvider.kms({ name: 'v', endpoint: 'tcp://10.0.0.1:9000' }))).toContain('is not a unix socket URL');
  expect(thrown(() => EncryptionProvider.secretbox({ name: 'a', source: SecretSource.env('K1') }, { name: 'a', source: SecretSource.env('K2') }))).toContain('repeats a key name');
  expect(thrown(() => EncryptionProvider.aescbc())).toContain('keys [] is empty');
  expect(thrown(() => SecretSource.env('not a name'))).toContain('is not an environment variable name');
  expect(thrown(() => SecretSource.file('keys/k'))).toContain('is not an absolute path');
});
