/**
 * A throwaway OIDC issuer on 127.0.0.1 for the control-plane suite: discovery document and JWKS
 * over HTTPS (a serving certificate from its own CA, made by the harness's openssl PKI), and
 * RS256 tokens minted with node:crypto.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import { generatePki } from './harness/pki';

export interface Issuer {
  /** https://127.0.0.1:<port>, the "iss" of its tokens. */
  readonly url: string;
  /** PEM of the CA that signed its serving certificate. */
  readonly caPem: string;
  readonly kid: string;
  /** A signed JWT with these claims; `key` signs with another key (an impostor). */
  mint(claims: Record<string, unknown>, options?: { key?: crypto.KeyObject; kid?: string }): string;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Signs `claims` as an RS256 JWT. */
export function signJwt(claims: Record<string, unknown>, key: crypto.KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(crypto.sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

export async function startIssuer(dir: string): Promise<Issuer> {
  const pki = generatePki(dir);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let url = '';
  const server = https.createServer({ cert: fs.readFileSync(pki.apiserver.cert), key: fs.readFileSync(pki.apiserver.key) }, (req, res) => {
    const send = (body: unknown) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.url === '/.well-known/openid-configuration') {
      send({ issuer: url, jwks_uri: `${url}/jwks`, response_types_supported: ['id_token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] });
    } else if (req.url === '/jwks') {
      send({ keys: [jwk] });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    caPem: fs.readFileSync(pki.ca.cert, 'utf8'),
    kid,
    mint: (claims, options = {}) => signJwt(claims, options.key ?? privateKey, options.kid ?? kid),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
