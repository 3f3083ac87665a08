/**
 * The automatic check of an uploaded document's bytes (SPEC "Supporting documents"): its type
 * from its first bytes, a complete file, and for the photo the configured size. Apart from
 * ./documents.ts so that only the document-check job bundles the image decoder.
 *
 * Pure.
 */
import { imageSize } from 'image-size';
import type { CheckResult, DocumentRules } from './documents';

type Sniffed = 'application/pdf' | 'image/jpeg' | 'image/png' | undefined;

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);

/** The type the first bytes say (magic numbers), among the accepted ones. */
export function sniffType(b: Uint8Array): Sniffed {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return undefined;
}

/** Whether the file ends as its format requires (a truncated upload does not). */
function isComplete(b: Uint8Array, type: NonNullable<Sniffed>): boolean {
  // Trailing line ends or padding after the end marker are common and harmless.
  let end = b.length;
  while (end > 0 && [0x00, 0x0a, 0x0d, 0x20].includes(b[end - 1]!)) end--;
  const tail = b.subarray(Math.max(0, end - 1024), end);
  if (type === 'application/pdf') return Buffer.from(tail).toString('latin1').includes('%%EOF');
  if (type === 'image/jpeg') return end >= 4 && b[end - 2] === 0xff && b[end - 1] === 0xd9;
  // PNG: the IEND chunk (type + CRC) closes the file.
  return startsWith(b.subarray(end - 8, end), [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
}

/**
 * The automatic check of an uploaded file: an accepted type announced by its first bytes and
 * matching the declared type, a complete file, and for the photo at least the configured size.
 */
export function inspectFile(bytes: Uint8Array, declaredType: string | undefined, kind: string, rules: Pick<DocumentRules, 'photoMinPixels'>): CheckResult {
  if (bytes.length === 0) return { ok: false, reason: 'file_empty' };
  const type = sniffType(bytes);
  if (!type || (declaredType !== undefined && type !== declaredType)) return { ok: false, reason: 'file_type_mismatch' };
  if (!isComplete(bytes, type)) return { ok: false, reason: 'file_truncated' };
  if (kind === 'photo') {
    let size: { width?: number; height?: number };
    try {
      size = imageSize(bytes);
    } catch {
      return { ok: false, reason: 'file_truncated' };
    }
    if ((size.width ?? 0) < rules.photoMinPixels.width || (size.height ?? 0) < rules.photoMinPixels.height) return { ok: false, reason: 'photo_too_small' };
  }
  return { ok: true };
}
