/**
 * Reads manifest files and directories into the Kubernetes objects kubectl would send, each with
 * the file and line it came from, and a problem for everything that cannot be read that way.
 * Nothing unreadable is skipped silently: a document that is not a Kubernetes object, a duplicate
 * key, a file that is not UTF-8 are all problems, and one bad file never stops the others.
 *
 * Parsing follows kubectl exactly (see kube-yaml.ts). Lists follow kubectl's unstructured decoder
 * and FlattenListVisitor: a document with an `items` field is a list whatever its kind, its items
 * without kind and apiVersion become `<Kind minus List>` of the list's apiVersion, and items that
 * are lists themselves (an `items` array) are flattened too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseKubernetesStream, StreamDocument } from './kube-yaml';
import { FieldLocator } from './locate';
import { findHelmTemplate, identityProblem } from './templates';
import { KubeObject } from './types';

export interface ManifestObject {
  readonly object: KubeObject;
  readonly file: string;
  /** 1-based line where the object starts: its document's first line, or its own line in a List. */
  readonly line: number;
}

export interface ManifestProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface Manifests {
  readonly objects: ManifestObject[];
  readonly problems: ManifestProblem[];
  /** Every file read, in order. */
  readonly files: string[];
}

/** Names a directory walk reads, in any letter case. Files named directly are read whatever their name. */
export const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/** Reads files and, recursively, directories (their .yaml, .yml and .json files, sorted by path). */
export function readManifests(inputs: readonly string[]): Manifests {
  const objects: ManifestObject[] = [];
  const problems: ManifestProblem[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      problems.push({ file: input, message: fsMessage(e) });
      continue;
    }
    if (stat.isDirectory()) walk(input, add, problems, new Set());
    else add(input);
  }
  for (const file of files) {
    let text: string;
    try {
      text = decode(fs.readFileSync(file));
    } catch (e) {
      problems.push({ file, message: e instanceof DecodeError ? e.message : fsMessage(e) });
      continue;
    }
    const parsed = parseManifests(text, file);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  return { objects, problems, files };
}

/** Parses one file's text (YAML or JSON, one or many documents) as kubectl does. */
export function parseManifests(text: string, file: string): { objects: ManifestObject[]; problems: ManifestProblem[] } {
  const stream = parseKubernetesStream(text);
  const objects: ManifestObject[] = [];
  const problems: ManifestProblem[] = stream.problems.map((p) => ({ file, ...p }));
  let locator: FieldLocator | undefined;
  const fieldLine = (line: number, at: string) => (locator ??= new FieldLocator(text)).lineOf(line, at);
  for (const document of stream.documents) collect(document, file, objects, problems, fieldLine);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { objects, problems };
}

function walk(dir: string, add: (file: string) => void, problems: ManifestProblem[], visiting: Set<string>): void {
  let real: string;
  let entries: fs.Dirent[];
  try {
    real = fs.realpathSync(dir);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ file: dir, message: fsMessage(e) });
    return;
  }
  if (visiting.has(real)) return; // a symbolic link back up the tree
  visiting.add(real);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (e) {
        if (MANIFEST_FILE.test(entry.name)) problems.push({ file: full, message: fsMessage(e) });
        continue;
      }
    }
    if (isDir) walk(full, add, problems, visiting);
    else if (isFile && MANIFEST_FILE.test(entry.name)) add(full);
  }
  visiting.delete(real);
}

class DecodeError extends Error {}

function decode(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DecodeError('the file is UTF-16: kubectl splits documents on UTF-8 lines, so save it as UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError('the file is not valid UTF-8, which Kubernetes\' YAML and JSON readers refuse');
  }
}

function fsMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** kubectl's unstructured decoding of one document, then FlattenListVisitor. */
function collect(document: StreamDocument, file: string, objects: ManifestObject[], problems: ManifestProblem[], fieldLine: (line: number, path: string) => number | undefined): void {
  const value = document.value;
  const lineOf = (o: unknown) => (o !== null && typeof o === 'object' ? document.lineOf(o) : undefined) ?? document.line;
  if (!isObject(value)) {
    problems.push({ file, line: document.line, message: `not a Kubernetes object: a document must be a mapping with apiVersion and kind, this one is ${describe(value)}${templateHint(document)}` });
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(value, 'items')) {
    push(value, document.line);
    return;
  }
  // Any document with an `items` field is decoded as a list (k8s.io/apimachinery unstructured).
  const listKind = typeof value.kind === 'string' ? value.kind : '';
  const listApiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const missing = kubeObjectProblem(value);
  if (missing) problems.push({ file, line: document.line, message: `${missing} (a list of objects)${templateHint(document)}` });
  if (value.items === null) return; // an empty list: kubectl applies nothing
  if (!Array.isArray(value.items)) {
    problems.push({ file, line: document.line, message: `not a Kubernetes object: the items of a list must be a list, not ${describe(value.items)}` });
    return;
  }
  value.items.forEach((item, i) => {
    if (!isObject(item)) {
      problems.push({ file, line: lineOf(item) ?? document.line, message: `item ${i} of the ${listKind || 'list'} is not a Kubernetes object: it is ${describe(item)}` });
      return;
    }
    // kubectl gives an item with neither kind nor apiVersion the list's (PodList -> Pod).
    const unnamed = (f: 'kind' | 'apiVersion') => typeof item[f] !== 'string' || item[f] === '';
    const typed = unnamed('kind') && unnamed('apiVersion')
      ? { ...item, apiVersion: listApiVersion, kind: listKind.replace(/List$/, '') }
      : item;
    nested(typed, lineOf(item), 1);
  });

  function nested(o: Json, line: number, depth: number): void {
    if (!Array.isArray(o.items)) {
      push(o, line);
      return;
    }
    if (depth > 32) {
      problems.push({ file, line, message: 'lists nested more than 32 deep' });
      return;
    }
    o.items.forEach((item, i) => {
      if (isObject(item)) nested(item, lineOf(item), depth + 1);
      else problems.push({ file, line: lineOf(item) ?? line, message: `item ${i} of the ${typeof o.kind === 'string' ? o.kind : 'list'} is not a Kubernetes object: it is ${describe(item)}` });
    });
  }

  function push(o: Json, line: number): void {
    const problem = kubeObjectProblem(o) ?? identityProblem(o);
    if (problem) {
      problems.push({ file, line, message: `${problem}${templateHint(document)}` });
      return;
    }
    // A chart's template read before `helm template` rendered it: its values are not what the API server would get.
    const template = findHelmTemplate(o);
    if (template) {
      problems.push({ file, line: fieldLine(line, template.path) ?? document.lineOf(template.holder) ?? line, message: `an unrendered Helm template: ${template.path} is ${JSON.stringify(template.text)}; render the chart first (helm template) and check its output` });
      return;
    }
    objects.push({ object: o as KubeObject, file, line });
  }
}

function kubeObjectProblem(o: Json): string | undefined {
  const bad = (['apiVersion', 'kind'] as const).filter((f) => typeof o[f] !== 'string' || o[f] === '');
  if (bad.length === 0) return undefined;
  return `not a Kubernetes object: ${bad.map((f) => (o[f] === undefined ? `no ${f}` : `${f} is ${describe(o[f])}, not a name`)).join(' and ')}`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

function templateHint(document: StreamDocument): string {
  return document.template ? ' (it looks like an unrendered template: render it first, e.g. with helm template)' : '';
}
