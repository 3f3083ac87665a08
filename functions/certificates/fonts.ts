/**
 * The certificates' fonts: DejaVu Sans and DejaVu Sans Bold from the `dejavu-fonts-ttf` npm
 * package (Bitstream Vera licence, DejaVu changes in the public domain: free to embed and
 * redistribute; its LICENSE ships beside them). A bundled function finds them in a `fonts/`
 * folder beside its code (lib/constructs/service-function.ts copies them there); elsewhere
 * they are read from node_modules.
 */
export const CERTIFICATE_FONTS = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
export const BUNDLED_FONT_DIR = 'fonts';
