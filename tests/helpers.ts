import { Testing } from 'cdk8s';
import { BulwarkChart, BulwarkChartProps, Image, IsolatedNamespace, Probe, SecureContainerProps } from '../constructs';
import { KubeObject } from '../policy';

/** A fixed clock so that expiry and end-of-life checks do not drift with the calendar. */
export const NOW = new Date('2026-11-22T12:00:00Z');

export const PINNED = Image.pinned('registry.example.com/team/app', `sha256:${'ab'.repeat(32)}`);

export function newChart(props: BulwarkChartProps = {}): BulwarkChart {
  return new BulwarkChart(Testing.app(), 'test', { now: NOW, ...props });
}

export function chartWithNamespace(props: BulwarkChartProps = {}): { chart: BulwarkChart; ns: IsolatedNamespace } {
  const chart = newChart(props);
  return { chart, ns: new IsolatedNamespace(chart, 'team-a') };
}

/** A minimal compliant container with probes. */
export function container(overrides: Partial<SecureContainerProps> = {}): SecureContainerProps {
  return {
    name: 'app',
    image: PINNED,
    ports: [],
    liveness: Probe.fromCommand(['/bin/healthcheck']),
    readiness: Probe.fromCommand(['/bin/healthcheck']),
    ...overrides,
  };
}

export function synth(chart: BulwarkChart): KubeObject[] {
  return Testing.synth(chart) as KubeObject[];
}

export function byKind(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in output`);
  return found;
}

/** The synth error text, or a failure if synth succeeded. */
export function synthError(chart: BulwarkChart): string {
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail, but it succeeded');
}
