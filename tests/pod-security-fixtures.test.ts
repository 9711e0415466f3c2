/**
 * The upstream Pod Security conformance fixtures are the oracle: every `pass` pod is allowed and
 * every `fail` pod is denied, by (at least) the check its file name names, at its level and version.
 * (Some fail fixtures break a second check on purpose: a HostProcess pod also needs hostNetwork.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { evaluate, podSecurityRules, POD_SECURITY_RULES, parsePolicyVersion, PodSecurityLevel } from '../policy';

const ROOT = path.resolve(__dirname, '../../shared/fixtures/pod-security');
const LEVELS: PodSecurityLevel[] = ['baseline', 'restricted'];

interface Case { level: PodSecurityLevel; version: string; expect: 'pass' | 'fail'; file: string }

function cases(): Case[] {
  const out: Case[] = [];
  for (const level of LEVELS) {
    for (const dir of fs.readdirSync(path.join(ROOT, level)).sort()) {
      for (const expect of ['pass', 'fail'] as const) {
        for (const file of fs.readdirSync(path.join(ROOT, level, dir, expect)).sort()) {
          out.push({ level, version: dir.replace(/^v/, ''), expect, file: path.join(ROOT, level, dir, expect, file) });
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

const all = cases();

test('the fixture corpus is complete (716 files across v1.33 to v1.37)', () => {
  expect(all).toHaveLength(716);
  expect(new Set(all.map((c) => c.version))).toEqual(new Set(['1.33', '1.34', '1.35', '1.36', '1.37']));
});

describe.each(LEVELS)('%s', (level) => {
  const mine = all.filter((c) => c.level === level);
  test.each(mine.filter((c) => c.expect === 'pass').map((c) => [`v${c.version} ${path.basename(c.file)}`, c] as const))(
    'allows pass fixture %s', (_name, c) => {
      const pod = parse(fs.readFileSync(c.file, 'utf8'));
      const findings = evaluate([pod], { kubernetesVersion: c.version, packs: [`pss-${level}`] });
      expect(findings.map((f) => `${f.ruleId}: ${f.detail}`)).toEqual([]);
    });
  test.each(mine.filter((c) => c.expect === 'fail').map((c) => [`v${c.version} ${path.basename(c.file)}`, c] as const))(
    'denies fail fixture %s by the named check', (_name, c) => {
      const pod = parse(fs.readFileSync(c.file, 'utf8'));
      const findings = evaluate([pod], { kubernetesVersion: c.version, packs: [`pss-${level}`] });
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.map((f) => f.ruleId)).toContain(expectedRule(c));
    });
});
