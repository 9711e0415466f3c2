import { isKindOf } from '../../config-files';
import { Rule, Violation } from '../../types';
import { componentFlags, flagViolation } from './flags';

/** A CEL mapping that starts with a string literal and "+" (e.g. "'oidc:' + claims.sub") adds a prefix. */
const PREFIXED_EXPRESSION = /^\s*(['"])[^'"]+\1\s*\+/;

function mappingProblem(mapping: any, what: 'username' | 'groups', required: boolean): string | undefined {
  if (!mapping || (mapping.claim === undefined && mapping.expression === undefined)) return required ? `claimMappings.${what} is not set` : undefined;
  if (mapping.expression !== undefined) {
    return PREFIXED_EXPRESSION.test(String(mapping.expression)) ? undefined : `claimMappings.${what}.expression does not start with a quoted prefix and "+"`;
  }
  return typeof mapping.prefix === 'string' && mapping.prefix.length > 0 ? undefined : `claimMappings.${what}.prefix is ${mapping.prefix === undefined ? 'not set' : 'empty'}`;
}

export const oidcSignIn: Rule = {
  id: 'control-plane/oidc-sign-in',
  title: 'People sign in through OIDC from an https issuer, for named audiences, with prefixed user and group names',
  severity: 'high',
  waivable: true,
  rationale: 'Client certificates cannot be revoked and ServiceAccount tokens are for workloads: people should sign in through an identity provider. Its tokens must be checked against an https issuer and an audience meant for this cluster, and mapped with a prefix so that no identity-provider name can become "system:masters", "system:nodes" or another cluster-internal name.',
  remediation: 'Configure the issuer in an AuthenticationConfiguration (--authentication-config), not --oidc-* flags: an https issuer.url, audiences, and claimMappings for username and groups with a non-empty prefix such as "oidc:".',
  manifestRemediation: 'Replace the --oidc-* flags with an AuthenticationConfiguration (--authentication-config) jwt entry: an https issuer.url, issuer.audiences, and claimMappings for username and groups with a prefix such as "oidc:".',
  references: [
    { source: 'CIS', id: '3.1.1, 3.1.2' },
    { source: 'Kubernetes', id: 'Structured authentication configuration', url: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#using-authentication-configuration' },
  ],
  check(object): Violation[] {
    const flags = componentFlags(object, 'apiServer');
    if (flags) {
      return ['oidc-issuer-url', 'oidc-client-id', 'oidc-username-claim', 'oidc-groups-claim'].filter((f) => flags.has(f))
        .map((f) => flagViolation(flags, f, 'legacy OIDC flags', 'must not be set: configure the issuer in an AuthenticationConfiguration, which validates claims with CEL and maps prefixes explicitly'));
    }
    if (!isKindOf(object, ['apiserver.config.k8s.io'], 'AuthenticationConfiguration')) return [];
    const jwt: any[] = Array.isArray(object.jwt) ? object.jwt : [];
    return jwt.flatMap((a, i): Violation[] => {
      const issuer = String(a?.issuer?.url ?? '');
      const problems = [
        /^https:\/\//.test(issuer) ? undefined : `issuer.url "${issuer}" is not https`,
        Array.isArray(a?.issuer?.audiences) && a.issuer.audiences.length > 0 ? undefined : 'issuer.audiences is empty',
        mappingProblem(a?.claimMappings?.username, 'username', true),
        mappingProblem(a?.claimMappings?.groups, 'groups', false),
      ].filter((p): p is string => p !== undefined);
      return problems.map((p) => ({ path: `jwt[${i}]`, reason: 'unsafe OIDC sign-in', detail: `JWT authenticator for "${issuer}": ${p}` }));
    });
  },
};
