import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { DedicatedNodePool } from '../constructs';

/**
 * Writes the files that are not API objects (kubeadm and kind node configuration of every
 * dedicated pool) under <outdir>/control-plane/. Returns the paths written, sorted.
 */
export function writeControlPlaneFiles(app: App, outdir: string): string[] {
  const dir = path.join(outdir, 'control-plane');
  const written: string[] = [];
  for (const pool of app.node.findAll().filter((c): c is DedicatedNodePool => c instanceof DedicatedNodePool)) {
    for (const [name, file] of Object.entries(pool.controlPlaneFiles())) {
      fs.mkdirSync(dir, { recursive: true });
      const header = file.header.split('\n').map((l) => `# ${l}`).join('\n');
      fs.writeFileSync(path.join(dir, name), `${header}\n${file.documents.map((d) => stringify(d)).join('---\n')}`);
      written.push(path.join(dir, name));
    }
  }
  return written.sort();
}
