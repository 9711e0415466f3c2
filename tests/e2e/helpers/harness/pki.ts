/**
 * A throwaway PKI for a test control plane, made with the openssl CLI.
 *
 * Everything lives in one directory and is valid for two days. TLS keys are
 * ECDSA P-256 (fast to generate); the service-account key is RSA 2048. File names follow
 * kubeadm's (ca.crt, apiserver.crt/.key, apiserver-kubelet-client.crt/.key, sa.key/.pub), so
 * files rendered for a kubeadm PKI directory can point at this one.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface CertPaths {
  cert: string;
  key: string;
}

export interface ClusterPki {
  dir: string;
  ca: CertPaths;
  apiserver: CertPaths;
  admin: CertPaths;
  scheduler: CertPaths;
  /** The client certificate the API server presents to kubelets (kubeadm's apiserver-kubelet-client). */
  apiserverKubeletClient: CertPaths;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export interface PkiOptions {
  /** Extra SANs on the serving cert, e.g. ['DNS:my.host', 'IP:10.0.0.1']. */
  extraSans?: string[];
  /** First IP of the service CIDR, added as an IP SAN (the in-cluster kubernetes Service). */
  serviceIp?: string;
  validityDays?: number;
}

export const ADMIN_USER = 'bulwark-e2e-admin';
export const ADMIN_GROUP = 'system:masters';
export const SCHEDULER_USER = 'system:kube-scheduler';

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

function ecKey(file: string, cwd: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
  fs.chmodSync(path.join(cwd, file), 0o600);
}

/** A random positive serial number, as hex. */
function serial(): string {
  const b = crypto.randomBytes(16);
  b[0] &= 0x7f;
  return '0x' + b.toString('hex');
}

function leaf(
  dir: string,
  name: string,
  subject: string,
  usage: 'server' | 'client' | 'both',
  sans: string[],
  days: number,
): CertPaths {
  const key = `${name}.key`;
  const csr = `${name}.csr`;
  const crt = `${name}.crt`;
  const ext = `${name}.ext`;
  ecKey(key, dir);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr], dir);
  const eku = usage === 'server' ? 'serverAuth' : usage === 'client' ? 'clientAuth' : 'serverAuth,clientAuth';
  const lines = [
    '[v3]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${eku}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
  ];
  if (sans.length > 0) lines.push(`subjectAltName = ${sans.join(', ')}`);
  fs.writeFileSync(path.join(dir, ext), lines.join('\n') + '\n');
  openssl(
    ['x509', '-req', '-in', csr, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial(),
      '-days', String(days), '-sha256', '-extfile', ext, '-extensions', 'v3', '-out', crt],
    dir,
  );
  fs.rmSync(path.join(dir, csr));
  fs.rmSync(path.join(dir, ext));
  return { cert: path.join(dir, crt), key: path.join(dir, key) };
}

/** Generates the CA, the serving and client certs and the service-account key pair in `dir`. */
export function generatePki(dir: string, opts: PkiOptions = {}): ClusterPki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = opts.validityDays ?? 2;

  ecKey('ca.key', dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=bulwark-e2e-ca', '-days', String(days), '-sha256',
      '-set_serial', serial(),
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', 'subjectKeyIdentifier=hash',
      '-out', 'ca.crt'],
    dir,
  );

  const sans = [
    'IP:127.0.0.1',
    'IP:::1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  if (opts.serviceIp) sans.push(`IP:${opts.serviceIp}`);
  sans.push(...(opts.extraSans ?? []));

  const apiserver = leaf(dir, 'apiserver', '/CN=kube-apiserver', 'server', sans, days);
  const admin = leaf(dir, 'admin', `/O=${ADMIN_GROUP}/CN=${ADMIN_USER}`, 'client', [], days);
  const scheduler = leaf(dir, 'scheduler', `/CN=${SCHEDULER_USER}`, 'client', [], days);
  const apiserverKubeletClient = leaf(dir, 'apiserver-kubelet-client', '/CN=kube-apiserver-kubelet-client', 'client', [], days);

  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  fs.chmodSync(path.join(dir, 'sa.key'), 0o600);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);

  return {
    dir,
    ca: { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') },
    apiserver,
    admin,
    scheduler,
    apiserverKubeletClient,
    serviceAccountKey: path.join(dir, 'sa.key'),
    serviceAccountPub: path.join(dir, 'sa.pub'),
  };
}
