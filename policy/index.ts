export * from './types';
export { evaluate, unwaived, rulesFor, DEFAULT_PACKS, EvaluateOptions, ExternalWaiver } from './engine';
export { CATALOG, CATALOG_BY_ID, RECOMMENDED_RULES, ruleById } from './catalog';
export { packRules, podSecurityRules, PackName, PACK_NAMES } from './packs';
export { formatFindings } from './format';
export { readWaivers, writeWaivers, waiverProblems, MIN_WAIVER_REASON_LENGTH } from './waivers';
export { DEFAULT_KUBERNETES_VERSION, SUPPORT_TABLE, assertSupportedVersion } from './kubernetes-versions';
export { podSpecOf, containersOf } from './pod-spec';
export { POD_SECURITY_RULES, PodSecurityLevel, PodSecurityRule } from './rules/pod-security';
