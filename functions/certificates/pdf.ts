/**
 * Lays a certificate's content (`content.ts`) out as an A4 PDF with pdf-lib: DejaVu Sans
 * embedded as a subset (so accents and the € sign render everywhere and the file stays small),
 * and the verification URL as a vector QR code (qrcode's matrix drawn as rectangles: crisp at
 * any zoom, a few KB). The fonts come from the `dejavu-fonts-ttf` package; the Lambda bundle
 * carries them beside the code (functions/certificates/fonts.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { CertificateDocument } from './content';
import { BUNDLED_FONT_DIR, CERTIFICATE_FONTS } from './fonts';

const fontCache = new Map<string, Uint8Array>();

/** The bytes of one of the certificates' fonts (`CERTIFICATE_FONTS`), read once. */
export function fontFile(name: string): Uint8Array {
  const cached = fontCache.get(name);
  if (cached) return cached;
  const bundled = fileURLToPath(new URL(`./${BUNDLED_FONT_DIR}/${name}`, import.meta.url));
  const path = existsSync(bundled) ? bundled : createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
  const bytes = new Uint8Array(readFileSync(path));
  fontCache.set(name, bytes);
  return bytes;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);
const ACCENT = rgb(0.0, 0.25, 0.5);

/**
 * The lines of `text` within `width`, broken between words; a word wider than the whole width (a
 * payment reference in its column) is broken between characters, so nothing runs off the page.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).flatMap((w) => (fits(w) ? [w] : pieces(w, fits)))) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate) || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A word cut into the longest runs of characters that fit (at least one character each). */
function pieces(word: string, fits: (s: string) => boolean): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece && !fits(piece + ch)) {
      out.push(piece);
      piece = ch;
    } else piece += ch;
  }
  if (piece) out.push(piece);
  return out;
}

function drawQr(page: PDFPage, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  // One rectangle per horizontal run of dark modules.
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      page.drawRectangle({
        x: x + (quiet + start) * cell,
        y: y + size - (quiet + row + 1) * cell,
        width: (col - start) * cell,
        height: cell,
        color: rgb(0, 0, 0),
      });
    }
  }
}

/** The PDF bytes of one certificate document. `createdAt` (the issue date) is the file's date. */
export async function renderCertificatePdf(doc: CertificateDocument, createdAt: Date): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(fontFile(CERTIFICATE_FONTS.regular), { subset: true });
  const bold = await pdf.embedFont(fontFile(CERTIFICATE_FONTS.bold), { subset: true });
  pdf.setTitle(`${doc.title} — ${doc.academicYearLine}`);
  pdf.setAuthor(doc.university);
  pdf.setSubject(doc.title);
  pdf.setProducer('Inscrire');
  pdf.setCreator('Inscrire');
  pdf.setLanguage(doc.lang === 'fr' ? 'fr-FR' : 'en-GB');
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);

  const page = pdf.addPage([A4.width, A4.height]);
  const width = A4.width - 2 * MARGIN;
  let y = A4.height - MARGIN;
  const text = (s: string, o: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; x?: number; maxWidth?: number; gap?: number } = {}) => {
    const font = o.font ?? regular;
    const size = o.size ?? 10;
    for (const line of wrap(s, font, size, o.maxWidth ?? width)) {
      y -= size * 1.35;
      page.drawText(line, { x: o.x ?? MARGIN, y, size, font, color: o.color ?? INK });
    }
    y -= o.gap ?? 0;
  };

  // Header
  text(doc.university, { font: bold, size: 14, color: ACCENT });
  text(doc.academicYearLine, { size: 10, color: MUTED, gap: 6 });
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.width - MARGIN, y }, thickness: 1, color: ACCENT });
  y -= 18;
  text(doc.title, { font: bold, size: 18, gap: 10 });
  text(doc.statement, { size: 11, gap: 12 });

  // Label / value rows
  const labelWidth = 150;
  for (const [label, value] of doc.rows) {
    const top = y;
    text(label, { font: bold, size: 10, color: MUTED, maxWidth: labelWidth - 8 });
    const afterLabel = y;
    y = top;
    text(value, { size: 10, x: MARGIN + labelWidth, maxWidth: width - labelWidth });
    y = Math.min(y, afterLabel) - 3;
  }

  if (doc.payments) {
    y -= 12;
    // Date, amount, method, reference: a live PaymentIntent id fits its column whole at this size.
    const cols = [0, 106, 176, 307];
    const row = (cells: string[], font: PDFFont) => {
      const top = y;
      let bottom = y;
      cells.forEach((cell, i) => {
        y = top;
        text(cell, { font, size: 10, x: MARGIN + cols[i]!, maxWidth: (cols[i + 1] ?? width) - cols[i]! - 6 });
        bottom = Math.min(bottom, y);
      });
      y = bottom - 4;
    };
    row(doc.payments.header, bold);
    page.drawLine({ start: { x: MARGIN, y: y + 2 }, end: { x: A4.width - MARGIN, y: y + 2 }, thickness: 0.5, color: MUTED });
    for (const line of doc.payments.lines) row(line, regular);
    page.drawLine({ start: { x: MARGIN, y: y + 2 }, end: { x: A4.width - MARGIN, y: y + 2 }, thickness: 0.5, color: MUTED });
    row([doc.payments.total[0], doc.payments.total[1]], bold);
    if (doc.payments.balance) row([doc.payments.balance[0], doc.payments.balance[1]], regular);
  }

  y -= 10;
  text(doc.issuedLine, { size: 10, gap: 8 });

  // Verification block at the bottom of the page: QR code, code and URL.
  const qrSize = 110;
  const boxY = MARGIN + 24;
  drawQr(page, doc.verification.url, MARGIN, boxY, qrSize);
  y = boxY + qrSize - 4;
  const infoX = MARGIN + qrSize + 14;
  const infoWidth = width - qrSize - 14;
  text(doc.verification.label, { font: bold, size: 10, x: infoX, maxWidth: infoWidth, color: MUTED });
  text(doc.verification.code, { font: bold, size: 15, x: infoX, maxWidth: infoWidth, gap: 6 });
  text(doc.verification.instructions, { size: 9, x: infoX, maxWidth: infoWidth });
  text(doc.verification.url, { size: 9, x: infoX, maxWidth: infoWidth, color: ACCENT });
  y = MARGIN + 12;
  text(doc.footer, { size: 8, color: MUTED });

  return pdf.save({ useObjectStreams: true });
}
