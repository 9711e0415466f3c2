/** Small HTTP(S) helpers on Node built-ins, used for readiness checks and tests. */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TlsFiles {
  /** CA bundle to trust; omit together with `insecure` for self-signed servers. */
  caPath?: string;
  certPath?: string;
  keyPath?: string;
  /** Skip server certificate verification (only for loopback health checks). */
  insecure?: boolean;
}

export interface RequestOptions extends TlsFiles {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One request; resolves for any status code, rejects on network errors and timeouts. */
export function request(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const base: https.RequestOptions = {
      method: opts.method ?? 'GET',
      headers: { ...(opts.headers ?? {}) },
      timeout: timeoutMs,
    };
    if (opts.body !== undefined) {
      (base.headers as Record<string, string>)['Content-Length'] = String(Buffer.byteLength(opts.body));
    }
    if (isHttps) {
      if (opts.caPath) base.ca = fs.readFileSync(opts.caPath);
      if (opts.certPath) base.cert = fs.readFileSync(opts.certPath);
      if (opts.keyPath) base.key = fs.readFileSync(opts.keyPath);
      base.rejectUnauthorized = !opts.insecure;
      base.agent = false;
    }
    const req = (isHttps ? https : http).request(u, base, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${base.method} ${url}`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
