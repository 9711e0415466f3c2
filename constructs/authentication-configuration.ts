import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../policy';
import { HEALTH_PATHS, KUBEADM_DISCOVERY_PATH } from '../policy/rules/control-plane/hardening';
import { ControlPlaneDocument, ControlPlaneDocumentProps } from './control-plane-document';
import { BulwarkError } from './errors';
import { LeastPrivilegeRole, RoleSubject } from './least-privilege-role';

/** One CEL rule over the token's claims; the token is refused when it is false. */
export interface ClaimValidationRule {
  readonly expression: string;
  readonly message: string;
}

export interface OidcIssuer {
  /** The issuer URL, exactly as in the tokens' "iss" claim; https only. */
  readonly issuerUrl: string;
  /** Audiences ("aud") a token must carry one of, e.g. the OIDC client id of the cluster. */
  readonly audiences: readonly string[];
  /**
   * PEM CA bundle that signs the issuer's TLS certificate.
   * @default - the system trust store of the control-plane node
   */
  readonly certificateAuthority?: string;
  /** @default "sub" - the issuer's stable subject id (an e-mail address can be reassigned) */
  readonly usernameClaim?: string;
  /** @default "oidc:" - no identity-provider name can become a cluster-internal one (rule control-plane/oidc-sign-in) */
  readonly usernamePrefix?: string;
  /** @default "groups" */
  readonly groupsClaim?: string;
  /** @default "oidc:" - a group "system:masters" in the identity provider becomes "oidc:system:masters" (rule control-plane/oidc-sign-in) */
  readonly groupsPrefix?: string;
  /**
   * The longest lifetime (exp - iat) a token may have, in seconds.
   * @default 86400 - tokens living longer than a day, or without "iat", are refused
   */
  readonly maxTokenLifetimeSeconds?: number;
  /** More CEL rules over the claims, e.g. a tenant or "hd" claim. @default - none */
  readonly claimValidationRules?: readonly ClaimValidationRule[];
}

/** Which requests may be served without credentials. */
export type AnonymousAccess = 'disabled' | 'health-endpoints';

export interface AuthenticationConfigurationProps extends ControlPlaneDocumentProps {
  /** The identity provider people sign in with. @default - no OIDC sign-in (client certificates only) */
  readonly oidc?: OidcIssuer;
  /**
   * @default "health-endpoints" - anonymous requests reach /livez, /readyz, /healthz and kubeadm's
   * public cluster-info ConfigMap only (the kubelet's probes of the API server and token discovery
   * need them), everything else answers 401 (rule control-plane/apiserver-anonymous-auth, CIS 1.2.1)
   */
  readonly anonymous?: AnonymousAccess;
}

/**
 * An apiserver.config.k8s.io/v1 AuthenticationConfiguration (structured authentication, GA
 * in 1.34): OIDC sign-in with claim mappings to prefixed user and group names, CEL claim
 * validation (token lifetime), user validation (no "system:" names), and anonymous access
 * limited to the health endpoints. No static token file is ever configured.
 */
export class AuthenticationConfiguration extends ControlPlaneDocument {
  public readonly fileName = 'authentication-configuration.yaml';
  public readonly anonymous: AnonymousAccess;
  public readonly usernamePrefix?: string;
  public readonly groupsPrefix?: string;
  private readonly oidc?: OidcIssuer;

  constructor(scope: Construct, id: string, props: AuthenticationConfigurationProps = {}) {
    super(scope, id, 'AuthenticationConfiguration', props);
    this.anonymous = props.anonymous ?? 'health-endpoints';
    if (this.anonymous !== 'disabled' && this.anonymous !== 'health-endpoints') {
      throw new BulwarkError(this.who, 'anonymous', this.anonymous, 'control-plane/apiserver-anonymous-auth', 'is not "disabled" or "health-endpoints"', 'Anonymous access beyond the health endpoints is not offered.');
    }
    this.oidc = props.oidc;
    if (this.oidc) {
      this.usernamePrefix = this.oidc.usernamePrefix ?? 'oidc:';
      this.groupsPrefix = this.oidc.groupsPrefix ?? 'oidc:';
      const lifetime = this.oidc.maxTokenLifetimeSeconds ?? 86400;
      if (!Number.isInteger(lifetime) || lifetime <= 0) {
        throw new BulwarkError(this.who, 'oidc.maxTokenLifetimeSeconds', lifetime, undefined, 'is not a positive whole number of seconds', 'Give the longest token lifetime to accept, e.g. 3600.');
      }
    }
    this.check(this.toDocument(), (f) => (f.ruleId === 'control-plane/oidc-sign-in'
      ? { prop: 'oidc', value: { issuerUrl: this.oidc?.issuerUrl, audiences: this.oidc?.audiences, usernamePrefix: this.usernamePrefix, groupsPrefix: this.groupsPrefix } }
      : { prop: 'anonymous', value: this.anonymous }));
  }

  /** The RBAC subject of an identity-provider group, with the configured prefix (e.g. "oidc:shop-developers"). */
  public group(name: string): RoleSubject {
    if (this.groupsPrefix === undefined) {
      throw new BulwarkError(this.who, 'group', name, 'control-plane/oidc-sign-in', 'cannot be bound: no oidc issuer is configured, so no group signs in', 'Set the oidc prop before binding groups.');
    }
    if (!name || name.startsWith(this.groupsPrefix)) {
      throw new BulwarkError(this.who, 'group', name, 'control-plane/oidc-sign-in', `is empty or already carries the prefix "${this.groupsPrefix}"`, 'Give the group as the identity provider names it; the prefix is added here.');
    }
    return RoleSubject.group(`${this.groupsPrefix}${name}`);
  }

  /** Binds a team role to an identity-provider group: what members of the group may do once signed in. */
  public bindGroup(role: LeastPrivilegeRole, group: string): ApiObject {
    return role.bind(`oidc-${group.replace(/[^a-z0-9-]/g, '-')}`, this.group(group));
  }

  public toDocument(): KubeObject {
    const anonymous = this.anonymous === 'disabled'
      ? { enabled: false }
      : { enabled: true, conditions: [...HEALTH_PATHS, KUBEADM_DISCOVERY_PATH].map((path) => ({ path })) };
    return {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: this.oidc ? [this.renderIssuer(this.oidc)] : [],
      anonymous,
    };
  }

  /** kube-apiserver flags that load this file (--anonymous-auth must then stay unset). */
  public apiServerFlags(configDirectory: string): Record<string, string> {
    return { 'authentication-config': `${configDirectory}/${this.fileName}` };
  }

  protected headerLines(): string[] {
    return [
      'Authentication configuration for kube-apiserver (--authentication-config), rendered by Bulwark (AuthenticationConfiguration).',
      this.oidc ? `OIDC sign-in from ${this.oidc.issuerUrl}: users "${this.usernamePrefix}<${this.oidc.usernameClaim ?? 'sub'}>", groups "${this.groupsPrefix}<group>".` : 'No OIDC sign-in.',
      `Anonymous requests: ${this.anonymous === 'disabled' ? 'refused everywhere' : `only ${[...HEALTH_PATHS, KUBEADM_DISCOVERY_PATH].join(', ')}`}.`,
      'Rules: control-plane/oidc-sign-in (CIS 3.1.1), control-plane/apiserver-anonymous-auth (CIS 1.2.1).',
    ];
  }

  private renderIssuer(o: OidcIssuer): Record<string, unknown> {
    const lifetime = o.maxTokenLifetimeSeconds ?? 86400;
    return {
      issuer: {
        url: o.issuerUrl,
        audiences: [...o.audiences],
        ...(o.audiences.length > 1 ? { audienceMatchPolicy: 'MatchAny' } : {}),
        ...(o.certificateAuthority ? { certificateAuthority: o.certificateAuthority } : {}),
      },
      claimValidationRules: [
        // Claims are JSON numbers: double() compares them whether they decode as int or double.
        { expression: `has(claims.iat) && double(claims.exp) - double(claims.iat) <= ${lifetime}.0`, message: `token lifetime must be at most ${lifetime} seconds, and the token must carry iat` },
        ...(o.claimValidationRules ?? []).map((r) => ({ ...r })),
      ],
      claimMappings: {
        username: { claim: o.usernameClaim ?? 'sub', prefix: this.usernamePrefix },
        groups: { claim: o.groupsClaim ?? 'groups', prefix: this.groupsPrefix },
      },
      userValidationRules: [
        { expression: "!user.username.startsWith('system:')", message: 'user names starting with system: are reserved for Kubernetes components' },
        { expression: "user.groups.all(group, !group.startsWith('system:'))", message: 'group names starting with system: are reserved for Kubernetes components' },
      ],
    };
  }
}
