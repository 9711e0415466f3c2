import { runProgram } from './pulumi-program';

/**
 * Pulumi entry point (Pulumi.yaml). Registers exactly the objects `npm run synth` writes, each a
 * typed @pulumi/kubernetes resource with its own URN, in dependsOn tiers (definitions, namespaces,
 * guardrails and RBAC, then workloads). They come from BulwarkApp.synthesizeCharts(): every
 * object rendered once and checked once against the catalog with the whole App as context; an
 * unwaived finding throws before anything is registered. Configuration: see runProgram().
 */
const registered = runProgram();

export const objectCounts: Record<string, number> = {};
for (const r of registered) objectCounts[r.chart] = (objectCounts[r.chart] ?? 0) + 1;
