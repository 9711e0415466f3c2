import { ClusterBlueprint } from '{{bulwarkPackage}}/blueprint';

/** The Kubernetes minor the cluster runs: Pod Security labels and every rule follow it. */
export const KUBERNETES_VERSION = '{{kubernetesVersion}}';
/** Registries every image in the cluster may come from; a team may narrow this, never widen it. */
export const REGISTRY = '{{registry}}';

/** The whole cluster: `npm run synth`, `pulumi up` and the tests all build it here. */
export function buildApp(props: { outdir?: string } = {}): ClusterBlueprint {
  const cluster = new ClusterBlueprint({
    name: '{{name}}',
    kubernetesVersion: KUBERNETES_VERSION,
    environment: 'production',
    trustedRegistries: [REGISTRY],
    outdir: props.outdir ?? 'dist',
  });
  // One team: its namespace (Pod Security "restricted", default-deny, quota), a read-only role for
  // its people's group, and a GitOps deployer that may apply workloads there and nothing else.
  const team = cluster.addTeam('{{namespace}}', { namespaces: ['{{namespace}}'], group: 'oidc:{{namespace}}' });
  // Nodes that run only this team's sensitive workloads (SecureDeployment { sensitive: true, nodePool }).
  cluster.platform.addDedicatedPool('sensitive', { name: 'sensitive', allowedNamespaces: [team.ns('{{namespace}}')] });
  return cluster;
}
