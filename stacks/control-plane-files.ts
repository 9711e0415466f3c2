import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { collectControlPlaneFiles, ControlPlaneFile, fileProblems } from '../constructs';
import { toYamlStream } from '../constructs/manifest-yaml';
import { KubeObject } from '../policy';

/** A file's text: its header as "# " comments, then its documents as YAML. */
function render(file: ControlPlaneFile): string {
  const header = file.header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n');
  return `${header}\n${toYamlStream(file.documents as KubeObject[])}`;
}

/** The documents a YAML text holds, as a reader of the written file sees them. */
function readBack(name: string, text: string): KubeObject[] {
  const docs = parseAllDocuments(text);
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) throw new Error(`control-plane/${name} does not read back as YAML: ${errors[0].message}`);
  return docs.map((d) => d.toJSON() as KubeObject);
}

/**
 * The text of every control-plane file of the App (every construct implementing
 * IControlPlaneFiles: ControlPlane and its configuration files, AuditPolicy, ...), by file name.
 * The texts are read back and checked with the cis-control-plane pack, each file with its own
 * waivers and the others as context: any unwaived finding throws, listing all of them.
 */
export function renderControlPlaneFiles(root: IConstruct): Map<string, string> {
  const texts = new Map<string, string>();
  const written = new Map<string, ControlPlaneFile>();
  for (const [name, { file }] of collectControlPlaneFiles(root)) {
    const text = render(file);
    texts.set(name, text);
    written.set(name, { ...file, documents: readBack(name, text) });
  }
  const problems = fileProblems(written, [...written.values()].flatMap((f) => f.documents));
  if (problems.length > 0) throw new Error(`${problems.length} unwaived control-plane ${problems.length === 1 ? 'finding' : 'findings'}:\n  ${problems.join('\n  ')}`);
  return texts;
}

/**
 * Writes the control-plane files under <outdir>/control-plane/ (after the check above), removing
 * YAML files an earlier synth left there. Returns the paths written, sorted.
 */
export function writeControlPlaneFiles(root: IConstruct, outdir: string): string[] {
  const dir = path.join(outdir, 'control-plane');
  const texts = renderControlPlaneFiles(root);
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.yaml') && !texts.has(f)) fs.rmSync(path.join(dir, f));
  }
  if (texts.size > 0) fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const [name, text] of texts) {
    fs.writeFileSync(path.join(dir, name), text);
    out.push(path.join(dir, name));
  }
  return out.sort();
}
