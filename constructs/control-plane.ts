import { Construct } from 'constructs';
import { Finding, KubeObject } from '../policy';
import { FLAGS_API_VERSION, FLAGS_KIND } from '../policy/rules/control-plane/flags';
import { ACCEPTED_CIPHER_SUITES, STRONG_CIPHER_SUITES } from '../policy/rules/control-plane/hardening';
import { AdmissionConfiguration, AdmissionConfigurationProps } from './admission-configuration';
import { AuditPolicy, AuditPolicyProps } from './audit-policy';
import { AuthenticationConfiguration, AuthenticationConfigurationProps } from './authentication-configuration';
import { BulwarkApp } from './bulwark-app';
import { ClusterRenderInput, clusterConfiguration, initConfiguration, joinConfiguration, kindCluster, NodeGroup } from './cluster-renderers';
import { ControlPlaneFile, IControlPlaneFiles, refuseUnlessWaived, synthProblemsOf, waiverLines, waiverSpecs } from './control-plane-file';
import { DedicatedNodePool } from './dedicated-node-pool';
import { EncryptionConfiguration, EncryptionConfigurationProps } from './encryption-configuration';
import { BulwarkError } from './errors';
import { KubeletConfiguration, KubeletConfigurationProps } from './kubelet-configuration';
import { SecretSource } from './secret-source';
import { Waiver } from './waiver';

export interface ApiServerOptions {
  /** @default the six ECDHE AES-GCM and ChaCha20-Poly1305 suites (rule control-plane/apiserver-tls, CIS 1.2.29) */
  readonly tlsCipherSuites?: readonly string[];
  /**
   * More kube-apiserver flags (name without "--"), set last: the escape hatch. The result is
   * checked by the same rules, so a weakening flag is refused unless waived.
   * @default - none
   */
  readonly extraFlags?: Readonly<Record<string, string>>;
}

export interface KindOptions {
  /** @default "bulwark" */
  readonly name?: string;
  /**
   * The directory on the machine running kind where the provisioned files are (mounted into the
   * control-plane node container at configDirectory).
   * @default "/etc/kubernetes/bulwark"
   */
  readonly hostConfigDirectory?: string;
}

export interface ControlPlaneProps {
  /** The address nodes join and clients reach the API servers at, "host:port" (kubeadm controlPlaneEndpoint). */
  readonly controlPlaneEndpoint: string;
  /** Where the files of <outdir>/control-plane/ are installed on control-plane nodes. @default "/etc/kubernetes/bulwark" */
  readonly configDirectory?: string;
  /** Where the cluster's certificates and keys are (kubeadm's certificatesDir). @default "/etc/kubernetes/pki" */
  readonly pkiDirectory?: string;
  /** @default - see AuditPolicy */
  readonly audit?: AuditPolicyProps;
  /** @default - see AdmissionConfiguration */
  readonly admission?: AdmissionConfigurationProps;
  /** @default - see EncryptionConfiguration */
  readonly encryption?: EncryptionConfigurationProps;
  /** @default - see AuthenticationConfiguration: no OIDC, anonymous access to the health endpoints only */
  readonly authentication?: AuthenticationConfigurationProps;
  /** @default - see KubeletConfiguration */
  readonly kubelet?: KubeletConfigurationProps;
  /** @default - see ApiServerOptions */
  readonly apiServer?: ApiServerOptions;
  /** The bootstrap token nodes join with. @default SecretSource.env("BULWARK_JOIN_TOKEN") - materialized at provisioning, never in dist/ */
  readonly joinToken?: SecretSource;
  /** The cluster CA's public-key hash nodes pin. @default SecretSource.env("BULWARK_CA_CERT_HASH") */
  readonly caCertHash?: SecretSource;
  /** @default - see KindOptions */
  readonly kind?: KindOptions;
  /** Waivers of control-plane rules for the flags and the kubeadm and kind files. @default - none */
  readonly waivers?: readonly Waiver[];
}

/**
 * A hardened control plane as files: the audit policy, admission, encryption, authentication
 * and kubelet configuration (each its own construct and file), the kube-apiserver flags that
 * load them (KubeAPIServerFlags, CIS 1.2.x), and renderings for kubeadm (init, join, one join
 * per DedicatedNodePool of the App) and for kind. `npm run synth` writes them to
 * <outdir>/control-plane/; stacks/provision-control-plane.ts installs them on a node.
 */
export class ControlPlane extends Construct implements IControlPlaneFiles {
  public readonly audit: AuditPolicy;
  public readonly admission: AdmissionConfiguration;
  public readonly encryption: EncryptionConfiguration;
  public readonly authentication: AuthenticationConfiguration;
  public readonly kubelet: KubeletConfiguration;
  public readonly configDirectory: string;
  public readonly pkiDirectory: string;
  public readonly controlPlaneEndpoint: string;
  private readonly props: ControlPlaneProps;
  private readonly app: BulwarkApp;
  private readonly who: string;

  constructor(scope: Construct, id: string, props: ControlPlaneProps) {
    super(scope, id);
    this.who = `ControlPlane "${id}"`;
    this.app = BulwarkApp.enclosing(this, this.who);
    this.props = props;
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(props.controlPlaneEndpoint ?? '')) {
      throw new BulwarkError(this.who, 'controlPlaneEndpoint', props.controlPlaneEndpoint, undefined, 'is not "host:port"', 'Give the load-balanced address of the API servers, e.g. "k8s.example.com:6443".');
    }
    this.controlPlaneEndpoint = props.controlPlaneEndpoint;
    this.configDirectory = absolute(this.who, 'configDirectory', props.configDirectory ?? '/etc/kubernetes/bulwark');
    this.pkiDirectory = absolute(this.who, 'pkiDirectory', props.pkiDirectory ?? '/etc/kubernetes/pki');
    const suites = props.apiServer?.tlsCipherSuites ?? STRONG_CIPHER_SUITES;
    const weak = suites.filter((s) => !ACCEPTED_CIPHER_SUITES.has(s));
    if (weak.length > 0) {
      throw new BulwarkError(this.who, 'apiServer.tlsCipherSuites', weak, 'control-plane/apiserver-tls', 'are not ECDHE suites with AES-GCM or ChaCha20-Poly1305', 'Leave tlsCipherSuites out, or list only strong suites.');
    }
    this.audit = new AuditPolicy(this, 'Audit', props.audit);
    this.admission = new AdmissionConfiguration(this, 'Admission', props.admission);
    this.encryption = new EncryptionConfiguration(this, 'Encryption', props.encryption);
    this.authentication = new AuthenticationConfiguration(this, 'Authentication', props.authentication);
    this.kubelet = new KubeletConfiguration(this, 'Kubelet', { clientCAFile: `${this.pkiDirectory}/ca.crt`, ...props.kubelet });
    // The flags the props produce, refused at once when a rule no waiver covers breaks.
    refuseUnlessWaived(this.who, [this.flagsDocument()], (f) => this.blame(f), { context: [this.authentication.toDocument()], waivers: this.allWaivers() });
    this.node.addValidation({ validate: () => synthProblemsOf(this) });
  }

  /** kube-apiserver flags (name without "--" to value): every hardening flag and the paths of the files. */
  public get apiServerFlags(): Record<string, string> {
    const dir = this.configDirectory;
    const pki = this.pkiDirectory;
    return {
      ...this.authentication.apiServerFlags(dir),
      'authorization-mode': 'Node,RBAC',
      ...this.admission.apiServerFlags(dir),
      ...this.audit.apiServerFlags(dir),
      ...this.encryption.apiServerFlags(dir),
      profiling: 'false',
      'service-account-lookup': 'true',
      'service-account-extend-token-expiration': 'false',
      'tls-min-version': 'VersionTLS12',
      'tls-cipher-suites': [...(this.props.apiServer?.tlsCipherSuites ?? STRONG_CIPHER_SUITES)].join(','),
      'client-ca-file': `${pki}/ca.crt`,
      'tls-cert-file': `${pki}/apiserver.crt`,
      'tls-private-key-file': `${pki}/apiserver.key`,
      'kubelet-client-certificate': `${pki}/apiserver-kubelet-client.crt`,
      'kubelet-client-key': `${pki}/apiserver-kubelet-client.key`,
      'kubelet-certificate-authority': `${pki}/ca.crt`,
      'service-account-key-file': `${pki}/sa.pub`,
      'service-account-signing-key-file': `${pki}/sa.key`,
      ...(this.props.apiServer?.extraFlags ?? {}),
    };
  }

  /** The flags as a document the rules read (controlplane.bulwark.dev/v1alpha1 KubeAPIServerFlags). */
  public flagsDocument(): KubeObject {
    return { apiVersion: FLAGS_API_VERSION, kind: FLAGS_KIND, metadata: { name: 'kube-apiserver' }, flags: this.apiServerFlags };
  }

  public controlPlaneFiles(): Record<string, ControlPlaneFile> {
    const waivers = waiverSpecs(this.allWaivers());
    const input = this.renderInput();
    const groups = this.nodeGroups();
    const file = (lines: string[], documents: KubeObject[]): ControlPlaneFile => ({ header: [...lines, ...waiverLines(waivers)].join('\n'), documents, waivers });
    const install = `Install the files on each control-plane node: npx ts-node --transpile-only stacks/provision-control-plane.ts <this directory> ${this.configDirectory}`;
    const out: Record<string, ControlPlaneFile> = {
      'kube-apiserver-flags.yaml': file([
        'kube-apiserver flags (name: value, without "--"), rendered by Bulwark (ControlPlane): the hardening flags of CIS 1.2.x',
        'and the paths of the files of this directory. kubeadm-init.yaml and kind-cluster.yaml carry the same flags.',
        'Rules: control-plane/apiserver-*, control-plane/oidc-sign-in.',
      ], [this.flagsDocument()]),
      'kubeadm-init.yaml': file([
        'kubeadm init --config kubeadm-init.yaml, rendered by Bulwark (ControlPlane).',
        install,
        'The kubelets of every node get the KubeletConfiguration below from the cluster (kubeadm uploads it).',
        'With serverTLSBootstrap and --kubelet-certificate-authority, approve each kubelet-serving CSR before logs and exec work.',
      ], [initConfiguration(), clusterConfiguration(input), this.kubelet.toDocument()]),
      'kind-cluster.yaml': file([
        'kind create cluster --config kind-cluster.yaml: a laptop cluster with the same flags and files, rendered by Bulwark (ControlPlane).',
        `First provision the files into ${this.hostConfigDirectory} (stacks/provision-control-plane.ts; encryption key from the environment).`,
        'protectKernelDefaults needs the host (or Docker VM) sysctls vm.overcommit_memory=1 kernel.panic=10 kernel.panic_on_oops=1.',
        ...this.poolLabelLines(groups),
      ], [kindCluster(input, { name: this.props.kind?.name ?? 'bulwark', hostConfigDirectory: this.hostConfigDirectory, groups })]),
    };
    for (const g of groups) {
      out[g.pool ? `kubeadm-join-${g.pool}.yaml` : 'kubeadm-join.yaml'] = file([
        `kubeadm join --config <this file> for ${g.pool ? `nodes of the dedicated pool "${g.pool}" (registered with its taints)` : 'general worker nodes'}, rendered by Bulwark (ControlPlane).`,
        'The token and CA hash are references: provision the file on the node with BULWARK_JOIN_TOKEN and BULWARK_CA_CERT_HASH set',
        '(kubeadm token create --print-join-command prints both) using stacks/provision-control-plane.ts.',
        ...this.poolLabelLines([g]),
      ], [joinConfiguration(input, g)]);
    }
    return out;
  }

  private get hostConfigDirectory(): string {
    return absolute(this.who, 'kind.hostConfigDirectory', this.props.kind?.hostConfigDirectory ?? this.configDirectory);
  }

  private renderInput(): ClusterRenderInput {
    return {
      kubernetesMinor: this.app.defaultKubernetesVersion,
      controlPlaneEndpoint: this.controlPlaneEndpoint,
      configDirectory: this.configDirectory,
      pkiDirectory: this.pkiDirectory,
      apiServerFlags: this.apiServerFlags,
      controllerManagerFlags: { profiling: 'false', 'bind-address': '127.0.0.1', 'use-service-account-credentials': 'true', 'terminated-pod-gc-threshold': '1000' },
      schedulerFlags: { profiling: 'false', 'bind-address': '127.0.0.1' },
      auditLogDirectory: this.audit.logDirectory,
      kubelet: this.kubelet.toDocument(),
      joinToken: (this.props.joinToken ?? SecretSource.env('BULWARK_JOIN_TOKEN')).reference('bootstrap-token'),
      caCertHash: (this.props.caCertHash ?? SecretSource.env('BULWARK_CA_CERT_HASH')).reference('ca-cert-hash'),
    };
  }

  /** General workers, then one group per DedicatedNodePool of the App, registering with its taints. */
  private nodeGroups(): NodeGroup[] {
    const pools = this.node.root.node.findAll().filter((c): c is DedicatedNodePool => c instanceof DedicatedNodePool);
    return [
      { pool: '', taints: [], labels: {} },
      ...pools.map((p) => ({ pool: p.poolName, taints: p.taints.map(({ key, value, effect }) => ({ key, value, effect })), labels: p.nodeLabels })),
    ];
  }

  /** A kubelet may not set node-restriction.kubernetes.io/ labels on itself (NodeRestriction): an admin does. */
  private poolLabelLines(groups: readonly NodeGroup[]): string[] {
    return groups.flatMap((g) => Object.entries(g.labels).map(([k, v]) => `Pool "${g.pool}": after the join an admin labels each node: kubectl label node <node> ${k}=${v} (a kubelet cannot set it: NodeRestriction).`));
  }

  private allWaivers(): Waiver[] {
    return [...(this.props.waivers ?? []), ...this.audit.waivers, ...this.admission.waivers, ...this.encryption.waivers, ...this.authentication.waivers, ...this.kubelet.waivers];
  }

  /** The prop that produced a flag a rule refused. */
  private blame(f: Finding): { prop: string; value: unknown } {
    const name = f.path.startsWith('flags.') ? f.path.slice('flags.'.length) : f.path;
    const flags = this.apiServerFlags;
    if (this.props.apiServer?.extraFlags && name in this.props.apiServer.extraFlags) return { prop: `apiServer.extraFlags["${name}"]`, value: flags[name] };
    if (name === 'enable-admission-plugins') return { prop: 'admission.alwaysPullImages', value: this.props.admission?.alwaysPullImages };
    if (name.startsWith('audit-')) return { prop: 'audit.backends', value: Object.fromEntries(Object.entries(flags).filter(([k]) => k.startsWith('audit-'))) };
    return { prop: `apiServer flag ${name}`, value: flags[name] };
  }
}

function absolute(who: string, prop: string, path: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(path) || path.includes('..')) {
    throw new BulwarkError(who, prop, path, undefined, 'is not an absolute path', 'Give an absolute directory of letters, digits, ".", "_", "-" and "/".');
  }
  return path.replace(/\/+$/, '') || '/';
}
