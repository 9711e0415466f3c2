import { Construct } from 'constructs';
import { Finding, KubeObject } from '../policy';
import { BulwarkApp } from './bulwark-app';
import { ControlPlaneFile, IControlPlaneFiles, refuseUnlessWaived, synthProblemsOf, valueAt, waiverLines, waiverSpecs } from './control-plane-file';
import { Waiver } from './waiver';

export interface ControlPlaneDocumentProps {
  /**
   * Waivers of control-plane rules for this file, each with its reason; listed in the file's header.
   * @default - none: every rule of the cis-control-plane pack applies
   */
  readonly waivers?: readonly Waiver[];
}

/**
 * One control-plane configuration file (audit policy, admission, encryption, authentication or
 * kubelet configuration): rendered under <outdir>/control-plane/<fileName>, checked by the
 * cis-control-plane rules when a prop is set (refused at once) and again at synth.
 */
export abstract class ControlPlaneDocument extends Construct implements IControlPlaneFiles {
  /** The file's name under <outdir>/control-plane/ and under the configuration directory on nodes. */
  public abstract readonly fileName: string;
  public readonly waivers: readonly Waiver[];
  protected readonly who: string;
  protected readonly app: BulwarkApp;

  protected constructor(scope: Construct, id: string, className: string, props: ControlPlaneDocumentProps) {
    super(scope, id);
    this.who = `${className} "${id}"`;
    this.app = BulwarkApp.enclosing(this, this.who);
    this.waivers = [...(props.waivers ?? [])];
    // Synth (BulwarkApp.synth and synthesizeCharts) fails on what the written file would break.
    this.node.addValidation({ validate: () => synthProblemsOf(this) });
  }

  /** The document as it is written, e.g. { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ... }. */
  public abstract toDocument(): KubeObject;

  /** What the file is, how it is installed, and what it satisfies: the file's comment header. */
  protected abstract headerLines(): string[];

  public controlPlaneFiles(): Record<string, ControlPlaneFile> {
    const waivers = waiverSpecs(this.waivers);
    return { [this.fileName]: { header: [...this.headerLines(), ...waiverLines(waivers)].join('\n'), documents: [this.toDocument()], waivers } };
  }

  /** Throws at once when `candidate` breaks a control-plane rule that no waiver of this construct covers. */
  protected check(candidate: KubeObject, blame: (f: Finding) => { prop: string; value: unknown } = (f) => ({ prop: f.path, value: valueAt(candidate, f.path) })): void {
    refuseUnlessWaived(this.who, [candidate], blame, { waivers: this.waivers });
  }
}
