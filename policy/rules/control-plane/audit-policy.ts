/**
 * How the API server picks the audit level of a request: the first rule of an audit.k8s.io/v1
 * Policy that matches it, None when no rule does (the order and the matching of users, groups,
 * verbs, namespaces, resources with "*", "*\/sub" and "res/*", resourceNames and nonResourceURLs
 * with a trailing "*" follow k8s.io/apiserver's pkg/audit/policy/checker.go).
 */
import { isKindOf } from '../../config-files';
import { KubeObject } from '../../types';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = typeof AUDIT_LEVELS[number];

export interface AuditRequest {
  readonly user: string;
  readonly groups: readonly string[];
  readonly verb: string;
  /** A resource request; absent for a non-resource request. */
  readonly resource?: { readonly group: string; readonly resource: string; readonly subresource?: string; readonly namespace: string; readonly name?: string };
  /** The path of a non-resource request. */
  readonly path?: string;
}

export interface AuditRule {
  readonly level?: string;
  readonly users?: string[];
  readonly userGroups?: string[];
  readonly verbs?: string[];
  readonly namespaces?: string[];
  readonly resources?: Array<{ group?: string; resources?: string[]; resourceNames?: string[] }>;
  readonly nonResourceURLs?: string[];
}

export function isAuditPolicy(o: KubeObject): boolean {
  return isKindOf(o, ['audit.k8s.io'], 'Policy');
}

const nonEmpty = (l: readonly string[] | undefined): l is readonly string[] => Array.isArray(l) && l.length > 0;

function pathMatches(path: string, spec: string): boolean {
  return spec === '*' || spec === path || (spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, '')));
}

function resourceMatches(rule: AuditRule, r: NonNullable<AuditRequest['resource']>): boolean {
  if (nonEmpty(rule.namespaces) && !rule.namespaces.includes(r.namespace)) return false;
  if (!nonEmpty(rule.resources as string[] | undefined)) return true;
  const combined = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  return (rule.resources ?? []).some((gr) => {
    if ((gr.group ?? '') !== r.group && gr.group !== '*') return false;
    if (!nonEmpty(gr.resources)) return true;
    if (nonEmpty(gr.resourceNames) && !gr.resourceNames.includes(r.name ?? '')) return false;
    return gr.resources.some((res) => res === combined || res === '*'
      || (!!r.subresource && res.startsWith('*/') && r.subresource === res.slice(2))
      || (res.endsWith('/*') && r.resource === res.slice(0, -2)));
  });
}

export function ruleMatches(rule: AuditRule, req: AuditRequest): boolean {
  if (nonEmpty(rule.users) && !rule.users.includes(req.user)) return false;
  if (nonEmpty(rule.userGroups) && !req.groups.some((g) => rule.userGroups!.includes(g))) return false;
  if (nonEmpty(rule.verbs) && !rule.verbs.includes(req.verb)) return false;
  if (nonEmpty(rule.namespaces) || nonEmpty(rule.resources as string[] | undefined)) return req.resource !== undefined && resourceMatches(rule, req.resource);
  if (nonEmpty(rule.nonResourceURLs)) return req.resource === undefined && rule.nonResourceURLs.some((s) => pathMatches(req.path ?? '', s));
  return true;
}

/** The level the policy gives a request and the index of the rule that decided it (-1: no rule, None). */
export function auditLevelOf(rules: readonly AuditRule[], req: AuditRequest): { level: AuditLevel; index: number } {
  const index = rules.findIndex((r) => ruleMatches(r, req));
  if (index < 0) return { level: 'None', index };
  const level = AUDIT_LEVELS.includes(rules[index].level as AuditLevel) ? rules[index].level as AuditLevel : 'None';
  return { level, index };
}

export function levelRank(level: AuditLevel): number {
  return AUDIT_LEVELS.indexOf(level);
}
