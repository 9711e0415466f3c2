/**
 * The upstream Pod Security fixtures against the real API server's admission: for each level and
 * each minor the server can emulate, a namespace enforcing `level` at `v1.N` must admit exactly the
 * pods Bulwark's engine passes, and deny exactly the ones it flags. The fixtures come from the Go
 * module pinned in tools/versions.env (tests/helpers/pss-fixtures.ts); this suite takes v1.33 on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { evaluate, KubeObject } from '../../policy';
import { pssFixturesRoot } from '../helpers/pss-fixtures';
import { api, apply, deniedByPodSecurity, dryRunCreate } from './helpers/kube';

/** The oldest minor this suite sends to the server (upstream's fixtures go back to v1.0). */
const FIRST_MINOR = 33;

async function serverMinor(): Promise<number> {
  const v = await api('/version');
  return Number(String(v.body.minor).replace(/\D/g, ''));
}

test('the engine and the API server agree on every fixture at every minor the server knows', async () => {
  const CORPUS = pssFixturesRoot(); // throws, saying how to provide them, when there are none
  const maxMinor = await serverMinor();
  const rows: string[] = [];
  const invalid: string[] = [];
  let compared = 0;
  for (const level of ['baseline', 'restricted'] as const) {
    for (const dir of fs.readdirSync(path.join(CORPUS, level)).sort()) {
      const minor = Number(dir.split('.')[1]);
      if (minor < FIRST_MINOR) continue;
      if (minor > maxMinor) continue; // a newer minor's checks are not in this server
      const ns = `pss-${level}-${minor}`;
      const namespace: KubeObject = {
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': `v1.${minor}` } },
      };
      expect((await apply(namespace)).status).toBeLessThan(300);
      expect((await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } })).status).toBeLessThan(300);
      for (const expected of ['pass', 'fail'] as const) {
        for (const file of fs.readdirSync(path.join(CORPUS, level, dir, expected)).sort()) {
          const pod = parse(fs.readFileSync(path.join(CORPUS, level, dir, expected, file), 'utf8'));
          pod.metadata.namespace = ns;
          pod.metadata.name = pod.metadata.name.replace(/_/g, '-'); // upstream names are not DNS names
          const r = await dryRunCreate(pod);
          if (r.status === 422) { invalid.push(`${level} ${dir} ${expected}/${file}`); continue; }
          const cluster = deniedByPodSecurity(r);
          const engine = evaluate([pod], { kubernetesVersion: `1.${minor}`, packs: [`pss-${level}`] }).length > 0;
          compared++;
          if (cluster !== engine || cluster !== (expected === 'fail')) {
            rows.push(`${level} ${dir} ${expected}/${file}: cluster ${cluster ? 'denied' : `admitted (${r.status})`}, engine ${engine ? 'flagged' : 'passed'}`);
          }
        }
      }
    }
  }
  expect(rows).toEqual([]);
  expect(compared).toBeGreaterThan(500);
  // The API server's own validation is stricter for these: procMount Unmasked needs hostUsers: false
  // (a validation error, 422, before admission runs). Nothing else may be skipped.
  expect(invalid.every((f) => /fail\/procmount\d\.yaml$/.test(f))).toBe(true);
});
