import { AuditBackend, ControlPlaneProps } from '../../constructs';

/** What a test (or another environment) changes in the reference control plane. */
export interface ReferenceControlPlaneOptions {
  /** @default "/etc/kubernetes/bulwark" */
  readonly configDirectory?: string;
  /** @default "/etc/kubernetes/pki" */
  readonly pkiDirectory?: string;
  /** @default "/var/log/kubernetes/audit/audit.log" */
  readonly auditLogPath?: string;
  /** @default the shop's identity provider, https://login.shop.example.com, with the system trust store */
  readonly oidc?: { readonly issuerUrl: string; readonly certificateAuthority?: string };
}

/** The OIDC client the shop's identity provider issues cluster tokens to. */
export const REFERENCE_AUDIENCE = 'shop-cluster';

/**
 * The reference cluster's control plane: every default of ControlPlane, people signing in
 * through the shop's identity provider, and one None rule for the api's leader election (a Lease
 * renewed every few seconds by one ServiceAccount, by name).
 */
export function referenceControlPlane(options: ReferenceControlPlaneOptions = {}): ControlPlaneProps {
  return {
    controlPlaneEndpoint: 'k8s.shop.example.com:6443',
    configDirectory: options.configDirectory,
    pkiDirectory: options.pkiDirectory,
    authentication: {
      oidc: {
        issuerUrl: options.oidc?.issuerUrl ?? 'https://login.shop.example.com',
        audiences: [REFERENCE_AUDIENCE],
        ...(options.oidc?.certificateAuthority ? { certificateAuthority: options.oidc.certificateAuthority } : {}),
      },
    },
    audit: {
      ...(options.auditLogPath ? { backends: [AuditBackend.log({ path: options.auditLogPath })] } : {}),
      ignore: [{
        users: ['system:serviceaccount:shop-backend:api'],
        verbs: ['get', 'update'],
        namespaces: ['shop-backend'],
        resources: [{ group: 'coordination.k8s.io', resources: ['leases'], resourceNames: ['api-leader'] }],
        reason: 'leader election renews the api-leader Lease every few seconds; the grant allows nothing else',
      }],
    },
  };
}
