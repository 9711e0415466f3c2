/**
 * The one place `check`, `report`, `scan` and `explain` find files of the installed package at run
 * time. Run from the repository (ts-node: cli/*.ts) or from the package (dist-js/cli/*.js), the
 * package root is the nearest directory above with a package.json named "bulwark".
 *
 * Rule examples for `explain` are not read from tests/fixtures at run time: they are compiled into
 * cli/rule-examples.generated.ts (`npm run docs` regenerates it), so the package ships no fixtures.
 */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/** The directory holding Bulwark's package.json. */
export function packageRoot(from: string = __dirname): string {
  if (from === __dirname && root) return root;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        if (JSON.parse(fs.readFileSync(file, 'utf8')).name === 'bulwark') {
          if (from === __dirname) root = dir;
          return dir;
        }
      } catch { /* not ours */ }
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of bulwark above ${from}`);
  }
}

/** Bulwark's version, from its package.json. */
export function packageVersion(): string {
  return String(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version);
}
