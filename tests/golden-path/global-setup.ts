import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cleanEnv, CONTEXT_ENV, GoldenContext, npmInstall, ok, REPO, sh, timing } from './helpers';

/**
 * Packs the repository once (npm pack runs prepack: the build into dist-js/) and installs the
 * tarball, from the npm cache, into a tools project: its `bulwark` bin is what a team runs after
 * `npm install`, and every template is generated with it.
 */
export default async function globalSetup(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-golden-'));
  const started = Date.now();
  const packed = ok(sh('npm', ['pack', '--json', '--pack-destination', work], REPO, cleanEnv()), 'npm pack');
  const pack = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
  const tarball = path.join(work, pack.filename);
  const tools = path.join(work, 'tools');
  fs.mkdirSync(tools);
  fs.writeFileSync(path.join(tools, 'package.json'), JSON.stringify({ name: 'tools', version: '1.0.0', private: true, dependencies: { [pack.name]: `file:${tarball}` } }, null, 2));
  const context: GoldenContext = { work, tarball, pack: { size: pack.size, unpackedSize: pack.unpackedSize, files: pack.files }, tools };
  const file = path.join(work, 'context.json');
  fs.writeFileSync(file, JSON.stringify(context));
  process.env[CONTEXT_ENV] = file;
  timing('npm pack (runs the build)', packed.ms);
  timing('tools: npm install of the tarball', npmInstall(tools).ms);
  timing('global setup', Date.now() - started);
}
