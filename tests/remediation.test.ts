/**
 * Every rule says how to fix a finding twice: `remediation` for an object Bulwark's constructs made
 * (the construct prop), `manifestRemediation` for a raw manifest (the field to set). `bulwark check`,
 * `explain` and docs/rules.md show whichever fits the input, and both in the docs.
 */
import { CATALOG } from '../policy';

/** Names only a Bulwark user knows: a raw manifest's fix must not need them. */
const CONSTRUCT_WORDS = /SecureWorkload|SecureDeployment|IsolatedNamespace|LeastPrivilegeRole|DedicatedNodePool|BulwarkChart|BulwarkApp|Waiver\.of|Image\.pinned|pool\.place|exposeViaIngress|exposeViaRoute|allowFrom|allowTo|allowEgress|grantRead|SecretSource|ControlPlane\b/;

describe.each(CATALOG.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  test('has a raw-manifest remediation: a sentence that names fields, not constructs', () => {
    expect(typeof rule.manifestRemediation).toBe('string');
    const text = rule.manifestRemediation!;
    expect(text.length).toBeGreaterThan(20);
    expect(text).toMatch(/\.$/);
    expect(text).not.toMatch(CONSTRUCT_WORDS);
  });
});
