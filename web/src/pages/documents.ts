/**
 * "Pièces justificatives": the documents the dossier needs, their status, and an upload form
 * per document that sends the file straight to S3 with the presigned POST the API gives
 * (every field, then `file`), then polls until the check job has spoken. Usable at any time
 * after login (submit does not lock documents). Also the civil-status correction form.
 */
import { api, ApiError, type CorrectionCreated, type DocumentItem, type DocumentsView, type UploadView } from '../api';
import { CORRECTION_FORM, heading, notice } from '../components';
import { h, type Child } from '../dom';
import { currentLang } from '../i18n';
import { CORRECTION_FIELD_LABELS, type CorrectionField } from '../../../functions/domain/corrections';
import { documentStatusLabel, rejectionReasonLabel } from '../../../functions/domain/labels';
import type { Page, PageContext } from '../router';
import { session } from '../session';

export const DOCUMENTS_PATH = '/pieces-justificatives';
export const CORRECTION_PATH = CORRECTION_FORM;

const TEXT = {
  fr: {
    title: 'Pièces justificatives',
    intro: 'Déposez chaque pièce au format PDF, JPEG ou PNG. Vous pouvez déposer une pièce à tout moment, même après la validation de votre dossier ; un nouveau dépôt remplace le précédent.',
    optional: '(facultative)',
    file: 'Fichier',
    send: 'Déposer',
    view: 'Voir le fichier déposé',
    sending: 'Envoi en cours…',
    uploadFailed: "L'envoi a échoué. Réessayez.",
    reason: 'Motif',
    correctionLink: 'Signaler une erreur dans mon état civil',
    correctionTitle: 'Signaler une erreur',
    field: 'Information à corriger',
    /** What the correct value looks like, where it has a format. */
    fieldHints: { birthDate: '(AAAA-MM-JJ)', sex: '(F, M ou X)' } as Partial<Record<CorrectionField, string>>,
    proposed: 'Valeur correcte',
    message: 'Explication',
    ask: 'Envoyer la demande',
    asked: 'Votre demande est enregistrée : la scolarité vous répondra par courriel. Vous pouvez déposer un justificatif ci-dessous.',
    back: 'Retour aux pièces justificatives',
  },
  en: {
    title: 'Supporting documents',
    intro: 'Upload each document as PDF, JPEG or PNG. You may upload at any time, even after submitting your file; a new upload replaces the previous one.',
    optional: '(optional)',
    file: 'File',
    send: 'Upload',
    view: 'View the uploaded file',
    sending: 'Uploading…',
    uploadFailed: 'The upload failed. Please try again.',
    reason: 'Reason',
    correctionLink: 'Report an error in my civil status',
    correctionTitle: 'Report an error',
    field: 'Information to correct',
    fieldHints: { birthDate: '(YYYY-MM-DD)', sex: '(F, M or X)' } as Partial<Record<CorrectionField, string>>,
    proposed: 'Correct value',
    message: 'Explanation',
    ask: 'Send the request',
    asked: 'Your request is recorded: the scolarité office will answer by e-mail. You may upload a proof below.',
    back: 'Back to supporting documents',
  },
};
const tx = () => TEXT[currentLang() === 'en' ? 'en' : 'fr'];

async function uploadOne(kind: string, file: File): Promise<void> {
  const presigned = await api<UploadView>('POST', `/dossier/documents/${kind}/uploads`, { fileName: file.name, contentType: file.type, size: file.size });
  const form = new FormData();
  for (const [k, v] of Object.entries(presigned.fields)) form.append(k, v);
  form.append('file', file);
  const res = await fetch(presigned.url, { method: 'POST', body: form });
  if (!res.ok) throw new ApiError(res.status, 'UPLOAD_FAILED', tx().uploadFailed);
}

function row(item: DocumentItem, ctx: PageContext, refresh: () => Promise<void>): HTMLElement {
  const T = tx();
  const id = `file-${item.kind}`;
  const status = h('p', { class: `doc-status doc-${item.status}`, id: `status-${item.kind}`, 'aria-live': 'polite' }, documentStatusLabel(item.status, currentLang()));
  const error = h('p', { class: 'field-error', id: `error-${item.kind}`, hidden: true });
  const input = h('input', { type: 'file', id, name: id, accept: item.types.join(','), 'aria-describedby': `status-${item.kind} error-${item.kind}` });
  const submit = h('button', { type: 'submit', class: 'button' }, T.send);
  const form = h('form', { class: 'doc-form', novalidate: true }, h('label', { for: id }, T.file), input, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) return;
    submit.disabled = true;
    status.textContent = T.sending;
    error.hidden = true;
    uploadOne(item.kind, file)
      .then(refresh)
      .catch((err: unknown) => {
        if (!ctx.isCurrent()) return;
        error.textContent = err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : T.uploadFailed;
        error.hidden = false;
        status.textContent = documentStatusLabel(item.status, currentLang());
      })
      .finally(() => (submit.disabled = false));
  });
  return h(
    'li',
    { class: 'doc', 'data-kind': item.kind },
    h('h2', {}, item.label[currentLang()], item.required ? null : ` ${T.optional}`),
    status,
    item.status === 'rejected' && item.reason ? h('p', {}, `${T.reason} : ${rejectionReasonLabel(item.reason, currentLang())}`) : null,
    item.fileName ? h('p', {}, h('a', { href: '#', 'data-file': item.kind, onclick: (e: Event) => void openFile(e, item.kind) }, `${T.view} (${item.fileName})`)) : null,
    error,
    form,
  );
}

/** Follows the API's redirect to the short-lived URL (the token rides in a header, not in a link) and shows the file. */
async function openFile(event: Event, kind: string): Promise<void> {
  event.preventDefault();
  const res = await fetch(`/api/dossier/documents/${kind}/file`, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) return;
  window.open(URL.createObjectURL(await res.blob()), '_blank', 'noopener');
}

export const documentsPage: Page = {
  title: () => tx().title,
  student: true,
  async render(ctx) {
    const T = tx();
    const list = h('ul', { class: 'doc-list' });
    const draw = (items: DocumentItem[]) => list.replaceChildren(...items.map((i) => row(i, ctx, refresh)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    ctx.onLeave(() => clearTimeout(timer));
    async function refresh(): Promise<void> {
      const { items } = await api<DocumentsView>('GET', '/dossier/documents');
      if (!ctx.isCurrent()) return;
      draw(items);
      // Poll while a file is being checked (the check job answers within seconds).
      clearTimeout(timer);
      if (items.some((i) => i.status === 'checking')) timer = setTimeout(() => void refresh(), 1000);
    }
    const { items } = await api<DocumentsView>('GET', '/dossier/documents');
    draw(items);
    return h('div', {}, heading(T.title), h('p', {}, T.intro), list, h('p', {}, h('a', { href: CORRECTION_PATH }, T.correctionLink)));
  },
};

export const correctionPage: Page = {
  title: () => tx().correctionTitle,
  student: true,
  render(ctx) {
    const T = tx();
    const field = h(
      'select',
      { id: 'correction-field', name: 'field' },
      ...(Object.keys(CORRECTION_FIELD_LABELS) as CorrectionField[]).map((value) =>
        h('option', { value, selected: ctx.query.get('champ') === value }, `${CORRECTION_FIELD_LABELS[value][currentLang()]}${T.fieldHints[value] ? ` ${T.fieldHints[value]}` : ''}`),
      ),
    );
    const value = h('input', { id: 'correction-value', name: 'proposedValue', type: 'text', autocomplete: 'off' });
    const message = h('textarea', { id: 'correction-message', name: 'message', rows: 4 });
    const result = h('div', { 'aria-live': 'polite' });
    const form = h(
      'form',
      { novalidate: true },
      h('p', {}, h('label', { for: 'correction-field' }, T.field)),
      field,
      h('p', {}, h('label', { for: 'correction-value' }, T.proposed)),
      value,
      h('p', {}, h('label', { for: 'correction-message' }, T.message)),
      message,
      h('p', {}, h('button', { type: 'submit', class: 'button' }, T.ask)),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      api<CorrectionCreated>('POST', '/dossier/corrections', { field: field.value, proposedValue: value.value, message: message.value })
        .then(() => result.replaceChildren(notice('success', T.asked, ' ', h('a', { href: DOCUMENTS_PATH }, T.back))))
        .catch((err: unknown) => {
          const msg: Child = err instanceof ApiError ? [err.message, ...Object.values(err.fields).map((f) => h('span', {}, ` ${f}`))] : T.uploadFailed;
          result.replaceChildren(notice('error', msg));
        });
    });
    return h('div', {}, heading(T.correctionTitle), result, form, h('p', {}, h('a', { href: DOCUMENTS_PATH }, T.back)));
  },
};
