import { registerApp } from '{{bulwarkPackage}}/pulumi';
import { buildApp } from './app';

// `pulumi up`: the objects `npm run synth` writes, rendered and checked once by the BulwarkApp
// (an unwaived finding throws before anything is registered), each a typed @pulumi/kubernetes
// resource with its own URN, namespaces, guardrails and RBAC before the workloads they govern.
registerApp(buildApp());
