/**
 * The one error shape constructs throw for bad input: it names the construct, the prop, the
 * bad value, the rule it breaks and the fix.
 */
export class BulwarkError extends Error {
  /** `ruleId` is omitted only for malformed input that no security rule covers (a name's syntax). */
  constructor(construct: string, prop: string, value: unknown, ruleId: string | undefined, problem: string, fix: string) {
    super(`${construct}: ${prop} ${render(value)} ${problem}${ruleId ? ` (rule ${ruleId})` : ''}. ${fix}`);
    this.name = 'BulwarkError';
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === undefined) return '(unset)';
  return JSON.stringify(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a Kubernetes object name (RFC 1123 label, as namespaces and Services need). */
export function assertDnsLabel(construct: string, prop: string, value: string): void {
  if (!DNS_LABEL.test(value) || value.length > 63) {
    throw new BulwarkError(construct, prop, value, undefined, 'is not a valid Kubernetes name',
      'Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.');
  }
}
