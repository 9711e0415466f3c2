import { Rule } from '../../types';
import { apiserverAdmissionHardening } from './apiserver-admission-hardening';
import { apiserverAdmissionPlugins } from './apiserver-admission-plugins';
import { apiserverAnonymousAuth } from './apiserver-anonymous-auth';
import { apiserverAuditLog } from './apiserver-audit-log';
import { apiserverAuthorization } from './apiserver-authorization';
import { apiserverEncryption } from './apiserver-encryption';
import { apiserverPki } from './apiserver-pki';
import { apiserverProfiling } from './apiserver-profiling';
import { apiserverServiceAccounts } from './apiserver-service-accounts';
import { apiserverStaticCredentials } from './apiserver-static-credentials';
import { apiserverTls } from './apiserver-tls';
import { auditPolicyCoverage } from './audit-policy-coverage';
import { controllerManagerAndScheduler } from './controller-manager-and-scheduler';
import { encryptionIdentityFallback } from './encryption-identity-fallback';
import { encryptionProviders } from './encryption-providers';
import { kubeletAuthentication } from './kubelet-authentication';
import { kubeletAuthorization } from './kubelet-authorization';
import { kubeletKernelHardening } from './kubelet-kernel-hardening';
import { kubeletLimits } from './kubelet-limits';
import { kubeletReadOnlyPort } from './kubelet-read-only-port';
import { kubeletTls } from './kubelet-tls';
import { noInlineSecrets } from './no-inline-secrets';
import { oidcSignIn } from './oidc-sign-in';
import { podSecurityDefaults } from './pod-security-defaults';
import { podSecurityExemptions } from './pod-security-exemptions';

/**
 * The `cis-control-plane` pack: rules over control-plane configuration files (API-server flags,
 * kubeadm ClusterConfiguration, audit policy, admission, encryption, authentication and kubelet
 * configuration). Each applies only to the kinds it reads; CIS ids are those of the CIS
 * Kubernetes Benchmark v1.12.
 */
export const CONTROL_PLANE_RULES: readonly Rule[] = [
  apiserverAnonymousAuth, apiserverStaticCredentials, apiserverAuthorization, apiserverAdmissionPlugins, apiserverAdmissionHardening,
  apiserverProfiling, apiserverAuditLog, apiserverServiceAccounts, apiserverPki, apiserverTls, apiserverEncryption,
  encryptionProviders, encryptionIdentityFallback, noInlineSecrets, podSecurityDefaults, podSecurityExemptions, auditPolicyCoverage,
  oidcSignIn, kubeletAuthentication, kubeletAuthorization, kubeletReadOnlyPort, kubeletLimits, kubeletKernelHardening, kubeletTls,
  controllerManagerAndScheduler,
];
