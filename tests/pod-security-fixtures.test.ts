/**
 * The upstream Pod Security conformance fixtures are the oracle: every `pass` pod is allowed and
 * every `fail` pod is denied, by (at least) the check its file name names, at its level and version.
 * (Some fail fixtures break a second check on purpose: a HostProcess pod also needs hostNetwork.)
 * All of them: both levels, every minor upstream keeps (v1.0 on), read from the Go module pinned in
 * tools/versions.env (see tests/helpers/pss-fixtures.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { evaluate, podSecurityRules, POD_SECURITY_RULES, parsePolicyVersion, PodSecurityLevel } from '../policy';
import { pssFixturesModule, pssFixturesRoot, pssFixturesSkipped } from './helpers/pss-fixtures';

const LEVELS: PodSecurityLevel[] = ['baseline', 'restricted'];

/** What the pinned module holds: change with PSA_FIXTURES_VERSION in tools/versions.env. */
const PINNED = { module: 'k8s.io/pod-security-admission@v0.37.2', files: 4537, newestMinor: 37 };

const MODULE = pssFixturesModule();
const SKIPPED = pssFixturesSkipped();
/** Throws (the suite fails to run, saying why and what to do) when the fixtures cannot be had. */
const ROOT = SKIPPED === undefined ? pssFixturesRoot() : undefined;

interface Case { level: PodSecurityLevel; version: string; expect: 'pass' | 'fail'; file: string }

const minorOf = (dir: string) => Number(dir.split('.')[1]);

function cases(root: string): Case[] {
  const out: Case[] = [];
  for (const level of LEVELS) {
    for (const dir of fs.readdirSync(path.join(root, level)).sort((a, b) => minorOf(a) - minorOf(b))) {
      for (const expect of ['pass', 'fail'] as const) {
        for (const file of fs.readdirSync(path.join(root, level, dir, expect)).sort()) {
          out.push({ level, version: dir.replace(/^v/, ''), expect, file: path.join(root, level, dir, expect, file) });
        }
      }
    }
  }
  return out;
}

/** The rule that must deny a fail fixture: the one its file name names (baseline checks stay on at restricted). */
function expectedRule(c: Case): string {
  const check = path.basename(c.file).replace(/\d*\.yaml$/, '');
  const named = POD_SECURITY_RULES.find((r) => r.psaCheck.toLowerCase() === check);
  if (!named) throw new Error(`fixture ${c.file} names no known check "${check}"`);
  if (!podSecurityRules(c.level, parsePolicyVersion(c.version)).includes(named)) throw new Error(`check ${named.id} is not in force at ${c.level} ${c.version}`);
  return named.id;
}

const all = ROOT === undefined ? [] : cases(ROOT);
const title = (c: Case) => `v${c.version} ${path.basename(c.file)}`;
const key = (c: Case) => `${c.level} v${c.version} ${c.expect}/${path.basename(c.file)}`;

if (SKIPPED !== undefined) {
  test.skip(`upstream Pod Security fixtures (${MODULE}): ${SKIPPED}`, () => undefined);
} else {
  /** Per fixture: does the engine agree with upstream? Filled by the tests, summed up after them. */
  const agreed = new Map<string, boolean>();
  afterAll(() => {
    const n = agreed.size;
    const ok = [...agreed.values()].filter(Boolean).length;
    const pct = ok === n ? '100' : String(Math.floor((ok * 10000) / n) / 100);
    console.log(`${n.toLocaleString('en-US')} upstream fixtures (${MODULE}, ${ROOT}): ` +
      `${ok.toLocaleString('en-US')} agree, ${pct}% agreement`);
  });

  test(`the corpus is complete (${PINNED.files.toLocaleString('en-US')} files, baseline and restricted, v1.0 to v1.${PINNED.newestMinor})`, () => {
    expect(MODULE).toBe(PINNED.module);
    expect(all).toHaveLength(PINNED.files);
    const minors = Array.from({ length: PINNED.newestMinor + 1 }, (_, i) => `1.${i}`);
    for (const level of LEVELS) {
      for (const expected of ['pass', 'fail'] as const) {
        const have = new Set(all.filter((c) => c.level === level && c.expect === expected).map((c) => c.version));
        expect([...have].sort()).toEqual([...minors].sort());
      }
    }
  });

  describe.each(LEVELS)('%s', (level) => {
    const mine = all.filter((c) => c.level === level);
    test.each(mine.filter((c) => c.expect === 'pass').map((c) => [title(c), c] as const))(
      'allows pass fixture %s', (_name, c) => {
        agreed.set(key(c), false);
        const pod = parse(fs.readFileSync(c.file, 'utf8'));
        const findings = evaluate([pod], { kubernetesVersion: c.version, packs: [`pss-${level}`] });
        agreed.set(key(c), findings.length === 0);
        expect(findings.map((f) => `${f.ruleId}: ${f.detail}`)).toEqual([]);
      });
    test.each(mine.filter((c) => c.expect === 'fail').map((c) => [title(c), c] as const))(
      'denies fail fixture %s by the named check', (_name, c) => {
        agreed.set(key(c), false);
        const pod = parse(fs.readFileSync(c.file, 'utf8'));
        const findings = evaluate([pod], { kubernetesVersion: c.version, packs: [`pss-${level}`] });
        const rule = expectedRule(c);
        agreed.set(key(c), findings.map((f) => f.ruleId).includes(rule));
        expect(findings.length).toBeGreaterThan(0);
        expect(findings.map((f) => f.ruleId)).toContain(rule);
      });
  });
}
