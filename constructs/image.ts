import { DIGEST_PATTERN } from '../policy/rules/images/digest-pinned';

/**
 * A container image reference. `Image.pinned` is the secure form; `Image.tagged` exists for
 * development and needs a waiver of images/digest-pinned in production.
 */
export class Image {
  /** An image pinned by digest: exactly the bytes that were reviewed and scanned. */
  public static pinned(repository: string, digest: string): Image {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw new Error(`Image.pinned("${repository}"): digest "${digest}" is not "sha256:" followed by 64 lower-case hex digits (rule images/digest-pinned). Copy the digest from your registry or "crane digest ${repository}:<tag>".`);
    }
    if (repository.includes('@')) {
      throw new Error(`Image.pinned("${repository}"): the repository already carries a digest (rule images/digest-pinned). Pass the repository without "@sha256:...".`);
    }
    return new Image(`${repository}@${digest}`);
  }

  /** An image by tag: mutable, so synth fails in production unless images/digest-pinned is waived. */
  public static tagged(repository: string, tag: string): Image {
    return new Image(`${repository}:${tag}`);
  }

  /** Any reference, e.g. "registry.example.com/app@sha256:...". */
  public static fromReference(reference: string): Image {
    if (reference.trim() === '') throw new Error('Image.fromReference(""): an image reference is required (rule images/digest-pinned).');
    return new Image(reference);
  }

  private constructor(public readonly reference: string) {}

  public get isPinned(): boolean {
    return DIGEST_PATTERN.test(this.reference);
  }

  public toString(): string {
    return this.reference;
  }
}
