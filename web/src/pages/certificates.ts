/**
 * Certificates: the download block of the done page, and the public verification page the
 * certificates' QR code opens (`/verifier/<code>`, API.md), which anyone may read.
 */
import { downloadCertificate, getCertificates, getStatus, verifyCertificate, ApiError, type StudentCertificate } from '../api';
import { button, heading, notice, summaryList } from '../components';
import { h } from '../dom';
import { formatInstant, formatInstantDay, type Dict } from '../i18n';
import type { Page } from '../router';

const LANGS = ['fr', 'en'] as const;

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function certificateItem(c: StudentCertificate, tr: Dict, timeZone: string): HTMLElement {
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const kindLabel = tr.certificateKinds[c.kind] ?? c.kind;
  return h(
    'li',
    { class: 'certificate' },
    h('h3', {}, kindLabel),
    // A receipt is issued again as the parts of a plan are paid: its day says which one this is.
    h('p', {}, tr.certificateIssued(formatInstantDay(c.issuedAt, timeZone))),
    h('p', {}, tr.certificateCode(c.verificationCode)),
    h(
      'p',
      { class: 'actions' },
      LANGS.map((lang) =>
        button(tr.certificateDownload(kindLabel, tr.certificateLanguages[lang] ?? lang), {
          type: 'button',
          class: 'button button--secondary',
          'data-certificate': `${c.kind}-${lang}`,
          lang: undefined,
          onclick: async () => {
            status.textContent = '';
            try {
              const { blob, fileName } = await downloadCertificate(c.kind, lang);
              save(blob, fileName);
            } catch (err) {
              status.textContent = err instanceof ApiError ? err.message : tr.networkError;
            }
          },
        }),
      ),
    ),
    status,
  );
}

/** The student's certificates with their download buttons (FR and EN), or "being prepared"; days in `timeZone`, the service's. */
export async function certificatesBlock(tr: Dict, timeZone: string): Promise<HTMLElement> {
  const items = (await getCertificates().catch(() => ({ items: [] as StudentCertificate[] }))).items.filter((c) => !c.revokedAt);
  return h(
    'section',
    { class: 'certificates', 'aria-labelledby': 'certificates-heading' },
    h('h2', { id: 'certificates-heading' }, tr.certificatesHeading),
    items.length > 0
      ? [
          h('p', {}, tr.certificatesIntro),
          h(
            'ul',
            { class: 'plain-list' },
            items.map((c) => certificateItem(c, tr, timeZone)),
          ),
        ]
      : h('p', { role: 'status' }, tr.certificatesPending),
  );
}

/** `/verifier/<code>`: what `GET /api/verify/{code}` says, for a person. */
export const verifier: Page = {
  title: (tr) => tr.verifierTitle,
  noReturn: true,
  async render({ t: tr }) {
    const code = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
    let result: Awaited<ReturnType<typeof verifyCertificate>>;
    // Instants in the service's time zone, whatever the reader's computer is set to. Asked
    // together with the verification, and awaited with it, so neither is left unobserved.
    let timeZone: string;
    try {
      [result, { timeZone }] = await Promise.all([verifyCertificate(code), getStatus()]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        return [heading(tr.verifierTitle), notice('error', h('p', {}, tr.verifierNotFound)), summaryList([{ key: tr.verifierCode, value: code }])];
      }
      throw err;
    }
    return [
      heading(tr.verifierTitle),
      h('p', {}, tr.verifierIntro),
      notice(result.valid ? 'success' : 'error', h('p', { role: 'status' }, h('strong', {}, result.valid ? tr.verifierValid : tr.verifierRevoked))),
      summaryList([
        { key: tr.verifierCode, value: code },
        { key: tr.verifierKind, value: tr.certificateKinds[result.kind] ?? result.kind },
        { key: tr.verifierHolder, value: result.holder },
        { key: tr.verifierYear, value: result.academicYear },
        { key: tr.verifierProgramme, value: result.programme },
        { key: tr.verifierIssued, value: formatInstant(result.issuedAt, timeZone) },
        ...(result.revokedAt ? [{ key: tr.verifierRevokedAt, value: formatInstant(result.revokedAt, timeZone) }] : []),
      ]),
      h('p', {}, tr.verifierPrivacy),
    ];
  },
};
