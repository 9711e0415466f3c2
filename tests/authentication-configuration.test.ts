import { AuthenticationConfiguration, IsolatedNamespace, LeastPrivilegeRole } from '../constructs';
import { controlPlaneFindings } from '../constructs/control-plane-file';
import { chartWithNamespace, newApp, synth } from './helpers';

const OIDC = { issuerUrl: 'https://login.example.com', audiences: ['cluster'] };
const make = (props: ConstructorParameters<typeof AuthenticationConfiguration>[2] = { oidc: OIDC }) => new AuthenticationConfiguration(newApp(), 'authn', props);

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('defaults', () => {
  const a = make();
  const doc = a.toDocument();
  const jwt = doc.jwt[0];

  test('matches the snapshot and has no finding', () => {
    expect(doc).toMatchSnapshot();
    expect(controlPlaneFindings([doc])).toEqual([]);
  });

  test('apiserver.config.k8s.io/v1 (structured authentication is GA at 1.36)', () => {
    expect(doc.apiVersion).toBe('apiserver.config.k8s.io/v1');
  });

  test('CIS 3.1.1: OIDC users and groups are prefixed, so none can become a cluster-internal name', () => {
    expect(jwt.claimMappings).toEqual({ username: { claim: 'sub', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: 'oidc:' } });
    expect(jwt.userValidationRules.map((r: any) => r.expression)).toEqual(["!user.username.startsWith('system:')", "user.groups.all(group, !group.startsWith('system:'))"]);
  });

  test('CEL claim validation caps the token lifetime at a day', () => {
    expect(jwt.claimValidationRules).toEqual([{ expression: 'has(claims.iat) && double(claims.exp) - double(claims.iat) <= 86400.0', message: 'token lifetime must be at most 86400 seconds, and the token must carry iat' }]);
  });

  test('CIS 1.2.1: anonymous requests reach the health endpoints and kubeadm discovery only', () => {
    expect(doc.anonymous.conditions.map((c: any) => c.path)).toEqual(['/livez', '/readyz', '/healthz', '/api/v1/namespaces/kube-public/configmaps/cluster-info']);
  });

  test('is loaded with --authentication-config, and sets no --anonymous-auth', () => {
    expect(a.apiServerFlags('/d')).toEqual({ 'authentication-config': '/d/authentication-configuration.yaml' });
  });
});

test('anonymous access can be turned off entirely', () => {
  expect(make({ oidc: OIDC, anonymous: 'disabled' }).toDocument().anonymous).toEqual({ enabled: false });
  expect(thrown(() => make({ anonymous: 'everything' as any }))).toContain('anonymous "everything" is not "disabled" or "health-endpoints"');
});

test('several audiences, a CA and more claim rules', () => {
  const jwt = make({ oidc: { ...OIDC, audiences: ['a', 'b'], certificateAuthority: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n', claimValidationRules: [{ expression: "claims.hd == 'example.com'", message: 'wrong domain' }], maxTokenLifetimeSeconds: 3600 } }).toDocument().jwt[0];
  expect(jwt.issuer.audienceMatchPolicy).toBe('MatchAny');
  expect(jwt.issuer.certificateAuthority).toContain('BEGIN CERTIFICATE');
  expect(jwt.claimValidationRules.map((r: any) => r.expression)).toEqual(['has(claims.iat) && double(claims.exp) - double(claims.iat) <= 3600.0', "claims.hd == 'example.com'"]);
});

test('refuses an http issuer, an empty prefix and no audience (rule control-plane/oidc-sign-in)', () => {
  expect(thrown(() => make({ oidc: { ...OIDC, issuerUrl: 'http://login.example.com' } }))).toMatch(/^AuthenticationConfiguration "authn": oidc .* is refused: JWT authenticator for "http:\/\/login.example.com": issuer.url "http:\/\/login.example.com" is not https \(rule control-plane\/oidc-sign-in\)/);
  expect(thrown(() => make({ oidc: { ...OIDC, groupsPrefix: '' } }))).toContain('claimMappings.groups.prefix is empty');
  expect(thrown(() => make({ oidc: { ...OIDC, audiences: [] } }))).toContain('issuer.audiences is empty');
  expect(thrown(() => make({ oidc: { ...OIDC, maxTokenLifetimeSeconds: 0 } }))).toContain('is not a positive whole number of seconds');
});

describe('team roles bound to identity-provider groups', () => {
  test('bindGroup binds a LeastPrivilegeRole to the prefixed group', () => {
    const { chart, ns } = chartWithNamespace();
    const authn = new AuthenticationConfiguration(chart.node.root as any, 'authn', { oidc: OIDC });
    const role = new LeastPrivilegeRole(chart, 'readers', { namespace: ns as IsolatedNamespace });
    role.allow({ apiGroups: [''], resources: ['pods'], verbs: ['get'] });
    authn.bindGroup(role, 'team-a-devs');
    const binding = synth(chart).find((o) => o.kind === 'RoleBinding')!;
    expect(binding.metadata!.name).toBe('readers-oidc-team-a-devs');
    expect(binding.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:team-a-devs' }]);
  });

  test('a group must come without the prefix, and needs OIDC', () => {
    expect(thrown(() => make().group('oidc:team'))).toContain('already carries the prefix "oidc:"');
    expect(thrown(() => make({}).group('team'))).toContain('group "team" cannot be bound: no oidc issuer is configured');
  });
});
