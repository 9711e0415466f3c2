import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation, isFalse } from './flags';

export const apiserverServiceAccounts: Rule = flagsRule({
  id: 'control-plane/apiserver-service-accounts',
  title: 'The API server must check that a ServiceAccount token\'s account still exists, and must not extend token lifetimes',
  severity: 'medium',
  waivable: true,
  rationale: 'Without the lookup, a token of a deleted ServiceAccount keeps working until it expires; extended expiration silently turns the one-hour projected tokens of pods into one-year tokens.',
  remediation: 'Leave --service-account-lookup at true and set --service-account-extend-token-expiration=false.',
  manifestRemediation: 'On the kube-apiserver command leave --service-account-lookup out (or true) and set --service-account-extend-token-expiration=false.',
  references: [
    { source: 'CIS', id: '1.2.21, 1.2.30' },
    { source: 'Checkov', id: 'CKV_K8S_96' },
  ],
}, 'apiServer', (flags): Violation[] => {
  const out: Violation[] = [];
  if (isFalse(flags.get('service-account-lookup'))) out.push(flagViolation(flags, 'service-account-lookup', 'token lookup off', 'must be "true"'));
  if (!isFalse(flags.get('service-account-extend-token-expiration'))) {
    out.push(flagViolation(flags, 'service-account-extend-token-expiration', 'extended token lifetime', 'must be "false" (it defaults to true)'));
  }
  return out;
});
