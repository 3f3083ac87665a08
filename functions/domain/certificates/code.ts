/**
 * Verification codes of the certificates (SPEC "Certificates"): unguessable, short enough to
 * type from paper, printed and encoded in the QR code as `<origin>/verifier/<code>`.
 *
 * 20 symbols from a 32-symbol alphabet: 100 bits of randomness (the bar is 80). The alphabet
 * leaves out 0/O and 1/I, which readers confuse; a code is shown in groups of five
 * (`ABCDE-FGHJK-MNPQR-STUVW`) and accepted with or without the hyphens, in any case.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_SYMBOLS = 20;
const GROUP = 5;
/** Bits of randomness in a code. */
export const CODE_BITS = CODE_SYMBOLS * Math.log2(CODE_ALPHABET.length);

/** The random bytes a code needs (one per symbol). */
export const CODE_RANDOM_BYTES = CODE_SYMBOLS;

/**
 * A code from `CODE_RANDOM_BYTES` random bytes (the caller draws them from a CSPRNG). 256 is a
 * multiple of 32: keeping the low five bits of each byte gives uniform symbols.
 */
export function verificationCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < CODE_SYMBOLS) throw new Error(`A verification code needs ${CODE_SYMBOLS} random bytes`);
  let symbols = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) symbols += CODE_ALPHABET[bytes[i]! & 31];
  return group(symbols);
}

function group(symbols: string): string {
  const parts: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) parts.push(symbols.slice(i, i + GROUP));
  return parts.join('-');
}

const SYMBOLS = new RegExp(`^[${CODE_ALPHABET}]{${CODE_SYMBOLS}}$`);

/**
 * The canonical (grouped, upper-case) form of what someone typed or scanned, or undefined when
 * it cannot be a code. Spaces and hyphens are ignored; nothing else is corrected, so a code
 * read wrongly is not found rather than matched to another one.
 */
export function normalizeCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  const symbols = input.replace(/[\s-]/g, '').toUpperCase();
  return SYMBOLS.test(symbols) ? group(symbols) : undefined;
}
