/**
 * Installs the files of dist/control-plane/ on a node, materializing every secret reference
 * ("bulwark-secret:<format>:env:<NAME>" or ":file:<path>") with the value from the environment
 * or the file, checked against its format. Rendered files never hold keys or tokens: this is the
 * one step that reads them, on the node, at provisioning time.
 *
 *   npx ts-node --transpile-only stacks/provision-control-plane.ts [--role control-plane|worker|all] FROM_DIR TO_DIR
 *
 * --role control-plane (default) installs everything but the join and kind files (the encryption
 * key is then needed: BULWARK_ENCRYPTION_KEY, 32 random bytes in base64); worker installs the
 * kubeadm join files (BULWARK_JOIN_TOKEN, BULWARK_CA_CERT_HASH). Files are written 0600 into a
 * 0700 directory (CIS 1.1.x). A missing or malformed secret is an error and nothing is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { parseSecretRef, resolveSecretRef } from '../constructs/secret-source';
import { toYamlStream } from '../constructs/manifest-yaml';
import { KubeObject } from '../policy';

export type ProvisionRole = 'control-plane' | 'worker' | 'all';

export interface ProvisionOptions {
  /** @default "control-plane" */
  readonly role?: ProvisionRole;
  /** Where env references are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The files a role installs. */
export function filesForRole(names: readonly string[], role: ProvisionRole): string[] {
  const join = (n: string) => n.startsWith('kubeadm-join');
  if (role === 'worker') return names.filter(join);
  if (role === 'control-plane') return names.filter((n) => !join(n) && n !== 'kind-cluster.yaml');
  return [...names];
}

/** Replaces every secret reference in a JSON value, recording the path of each. */
function materialize(value: unknown, where: string, resolve: (v: string, where: string) => string | undefined): unknown {
  if (typeof value === 'string') return resolve(value, where) ?? value;
  if (Array.isArray(value)) return value.map((v, i) => materialize(v, `${where}[${i}]`, resolve));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v, `${where}.${k}`, resolve)]));
  return value;
}

/**
 * Installs the role's files of `fromDir` into `toDir`. Every reference is resolved first; any
 * that cannot be is reported (all at once) and nothing is written. Returns the paths written.
 */
export function provisionControlPlaneFiles(fromDir: string, toDir: string, options: ProvisionOptions = {}): string[] {
  const env = options.env ?? process.env;
  const names = filesForRole(fs.readdirSync(fromDir).filter((n) => n.endsWith('.yaml')).sort(), options.role ?? 'control-plane');
  if (names.length === 0) throw new Error(`${fromDir} holds no control-plane files for role "${options.role ?? 'control-plane'}": run npm run synth first.`);
  const errors: string[] = [];
  const outputs = names.map((name) => {
    const text = fs.readFileSync(path.join(fromDir, name), 'utf8');
    let secrets = 0;
    const resolve = (v: string, where: string): string | undefined => {
      const ref = parseSecretRef(v);
      if (!ref) return undefined;
      try {
        secrets++;
        return resolveSecretRef(ref, `${name} ${where.replace(/^\./, '')}`, env, (p) => fs.readFileSync(p, 'utf8'));
      } catch (e) {
        errors.push((e as Error).message);
        return undefined;
      }
    };
    const docs = parseAllDocuments(text).map((d, i) => materialize(d.toJSON(), `[${i}]`, resolve) as KubeObject);
    if (secrets === 0) return { name, text };
    const header = `# Provisioned from ${path.join(fromDir, name)} by stacks/provision-control-plane.ts: holds secrets, keep it 0600 and out of git.\n`;
    return { name, text: header + toYamlStream(docs) };
  });
  if (errors.length > 0) throw new Error(`cannot provision ${fromDir} into ${toDir}:\n  ${errors.join('\n  ')}`);
  fs.mkdirSync(toDir, { recursive: true, mode: 0o700 });
  return outputs.map(({ name, text }) => {
    const target = path.join(toDir, name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, target);
    return target;
  });
}

// Run as a script (CommonJS under ts-node); imported from ESM test code, it only exports.
if (typeof require !== 'undefined' && require.main === module) {
  const args = process.argv.slice(2);
  let role: ProvisionRole = 'control-plane';
  const i = args.indexOf('--role');
  if (i >= 0) {
    role = args[i + 1] as ProvisionRole;
    args.splice(i, 2);
  }
  if (args.length !== 2 || !['control-plane', 'worker', 'all'].includes(role)) {
    process.stderr.write('usage: provision-control-plane.ts [--role control-plane|worker|all] FROM_DIR TO_DIR\n');
    process.exit(2);
  }
  try {
    for (const f of provisionControlPlaneFiles(args[0], args[1], { role })) process.stdout.write(`${f}\n`);
  } catch (e) {
    process.stderr.write(`provision-control-plane: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
