/**
 * The ClusterRole `bulwark scan` needs: get and list on exactly what it reads (policy/scan-resources.ts),
 * built with LeastPrivilegeRole so that every rbac/ rule checks it (no Secrets, no write verb), and
 * bound to one group. Print it with `npx ts-node stacks/scanner-role.ts [GROUP]` and apply it; then
 * run `bulwark scan` as a member of the group.
 */
import { BulwarkApp, BulwarkChart, BulwarkChartProps, LeastPrivilegeRole, RoleSubject } from '../constructs';
import { toYamlStream } from '../constructs/manifest-yaml';
import { KubeObject } from '../policy';
import { SCAN_RESOURCES } from '../policy/scan-resources';
import { Construct } from 'constructs';

export const SCANNER_ROLE = 'bulwark-scanner';
export const SCANNER_GROUP = 'bulwark:scanners';

export interface ScannerRoleProps extends BulwarkChartProps {
  /** The group whose members may scan. @default SCANNER_GROUP */
  readonly group?: string;
}

/** The scanner's ClusterRole and its ClusterRoleBinding, in a chart of their own. */
export class ScannerRole extends BulwarkChart {
  public readonly role: LeastPrivilegeRole;

  constructor(scope: Construct, id: string, props: ScannerRoleProps = {}) {
    const { group, ...chartProps } = props;
    super(scope, id, chartProps);
    this.role = new LeastPrivilegeRole(this, SCANNER_ROLE, {
      clusterRole: { reason: 'bulwark scan reads every namespace, workload, role, binding, policy and Service of the cluster, read-only' },
    });
    const groups = [...new Set(SCAN_RESOURCES.map((r) => r.group))];
    for (const group of groups) {
      this.role.allow({ apiGroups: [group], resources: SCAN_RESOURCES.filter((r) => r.group === group).map((r) => r.resource), verbs: ['get', 'list'] });
    }
    this.role.bind('readers', RoleSubject.group(group ?? SCANNER_GROUP));
  }
}

/**
 * The scanner role's objects, checked by the catalog as every chart is. The chart runs no image, so
 * its own App has no registry to trust (in a production App, add ScannerRole beside your charts).
 */
export function scannerRoleObjects(props: ScannerRoleProps = {}): KubeObject[] {
  const app = new BulwarkApp({ outdir: 'dist', environment: 'development' });
  new ScannerRole(app, 'bulwark-scanner', props);
  return app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json as KubeObject));
}

if (typeof require !== 'undefined' && require.main === module) {
  process.stdout.write(toYamlStream(scannerRoleObjects({ group: process.argv[2] || SCANNER_GROUP })));
}
