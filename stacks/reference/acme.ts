import { ClusterBlueprint, ClusterBlueprintProps } from '../blueprint';
import { referenceControlPlane, ReferenceControlPlaneOptions } from './control-plane';
import { PAYMENTS_PORT, PAYMENTS_REGISTRY, PaymentsStack } from './payments';
import { ShopStack } from './shop';
import { STOREFRONT_REGISTRY, StorefrontStack } from './storefront';

/** The registries the reference cluster's images come from. */
export const ACME_REGISTRIES = ['registry.example.com/shop', STOREFRONT_REGISTRY, PAYMENTS_REGISTRY];

export interface AcmeOptions {
  /** Moves the control plane's paths and identity provider (the real-cluster suite points them at its own). */
  readonly controlPlane?: ReferenceControlPlaneOptions;
  /** @default "dist/acme" */
  readonly outdir?: string;
  /** @default "production" */
  readonly environment?: ClusterBlueprintProps['environment'];
}

/**
 * The reference multi-team cluster: the platform (guardrails, control plane, two dedicated pools)
 * and three teams. shop: a web front end behind an ingress, an autoscaled API, a queue worker, a
 * nightly CronJob and a database StatefulSet with a claim per replica on its own pool; payments: a
 * sensitive service on the "payments" pool that only the shop's api may call (both declare it);
 * storefront: every SecureWorkload feature (autoscaling, storage, config, Ingress and route,
 * DaemonSet, CronJob).
 */
export function acmeCluster(options: AcmeOptions = {}): ClusterBlueprint {
  const cluster = new ClusterBlueprint({
    name: 'acme',
    kubernetesVersion: '1.36',
    environment: options.environment ?? 'production',
    trustedRegistries: ACME_REGISTRIES,
    labels: { 'example.com/cluster': 'acme' },
    controlPlane: referenceControlPlane(options.controlPlane),
    outdir: options.outdir,
  });
  const signIn = cluster.platform.controlPlane!.authentication;
  const shop = new ShopStack(cluster, 'shop', { platform: cluster.platform, signIn, trustedRegistries: ['registry.example.com/shop'] });
  const payments = new PaymentsStack(cluster, 'payments', { platform: cluster.platform });
  new StorefrontStack(cluster, 'storefront');
  // The shop's api calls the payments service: the shop declares connectsTo, payments acceptsFrom.
  payments.service.allowFrom(shop.api, PAYMENTS_PORT);
  return cluster;
}
