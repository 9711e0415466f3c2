import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BulwarkApp, BulwarkAppProps, BulwarkChart, BulwarkChartProps, Image, IsolatedNamespace, Probe, SecureContainerProps } from '../constructs';
import { KubeObject } from '../policy';

/**
 * The fixed clock of the unit tests (tests/setup-clock.ts fakes Date to it), so that expiry and
 * end-of-life checks do not drift with the calendar. Only the test runner sets the clock: no
 * construct prop or parameter can.
 */
export { NOW } from './setup-clock';

/** The registry every test image comes from. */
export const TEST_REGISTRY = 'registry.example.com';

export const PINNED = Image.pinned('registry.example.com/team/app', `sha256:${'ab'.repeat(32)}`);

/** A BulwarkApp writing to a fresh temporary directory, trusting the test registry. */
export function newApp(props: BulwarkAppProps = {}): BulwarkApp {
  return new BulwarkApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-test-')), trustedRegistries: [TEST_REGISTRY], ...props });
}

export function newChart(props: BulwarkChartProps = {}): BulwarkChart {
  return new BulwarkChart(newApp(), 'test', props);
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
