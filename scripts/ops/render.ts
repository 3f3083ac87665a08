/**
 * What the `ops` CLI prints for people (French, for the scolarité staff); `--json` prints the
 * API's answers as they are instead.
 */
import { UNIVERSITY_TIME_ZONE } from '../../config/stage-runtime';
import { STEP_ORDER, type StepName } from '../../functions/domain/dossier/step-order';
import { anomalyReasonLabel, feeReasonLabel, formatEuros, formatInstant, paymentMethodLabel, paymentStatusLabel, statusLabel } from '../../functions/domain/labels';
import type { AdminDossierView, AuditEntry, ImportRejection, SearchItem, ServiceView, SupportRequest } from '../../functions/shared/contracts';

export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  return Number.isNaN(new Date(iso).getTime()) ? iso : formatInstant(iso, 'fr', UNIVERSITY_TIME_ZONE, 'short');
}

export const status = (s: string) => statusLabel(s, 'fr');

const euros = (cents: number | undefined) => (cents === undefined ? '–' : formatEuros(cents, 'fr'));

/** A plain text table; columns as wide as their widest cell. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '–' : String(c).replace(/\s+/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}

const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function serviceStatus(s: ServiceView): string {
  const override = s.override ? `forcé ${s.override.mode === 'open' ? 'ouvert' : 'fermé'} par ${s.override.by} le ${when(s.override.at)} — « ${s.override.reason} »` : 'selon le calendrier';
  const lines = [
    `Service       ${s.open ? 'OUVERT' : 'FERMÉ'} (${override})`,
    `Année         ${s.academicYear}`,
    `Fenêtre       ${s.window ? `${s.window.id}, du ${when(s.window.opensAt)} au ${when(s.window.closesAt)}` : 'aucune en cours'}`,
    `Réouverture   ${when(s.nextOpening)}`,
    `Assistance    ${s.supportOpen ? 'ouverte' : 'fermée'}`,
  ];
  if (s.calendar?.windows?.length) {
    lines.push('', `Calendrier (${s.calendar.timeZone})`, ...s.calendar.windows.map((w) => `  ${w.id.padEnd(16)} ${when(w.opensAt)} → ${when(w.closesAt)}`));
  }
  if (s.audit?.length) {
    lines.push(
      '',
      'Dernières actions',
      table(
        ['Quand', 'Action', 'Par', 'Raison'],
        s.audit.map((e) => [when(e.at), e.action, e.actor, e.reason]),
      ),
    );
  }
  return lines.join('\n');
}

export function dossierList(items: SearchItem[]): string {
  if (items.length === 0) return 'Aucun dossier trouvé.';
  return table(
    ['Dossier', 'Identifiant', 'Nom', 'Prénom', 'Formation', 'Statut', 'Bourse', 'Modifié le'],
    items.map((i) => [
      i.id ?? '(pas encore connecté)',
      i.identifier,
      i.usageName ? `${i.lastName} (${i.usageName})` : i.lastName,
      i.firstName,
      i.programmeCode,
      i.status === 'no_dossier' ? 'pas de dossier' : status(i.status),
      i.scholarship,
      when(i.updatedAt),
    ]),
  );
}

const STEP_NAMES: Record<StepName, string> = { identity: 'Identité', ine: 'INE', situation: 'Situation', cvec: 'CVEC', programme: 'Formation' };
const day = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : (iso ?? '–'));

/** The dossier status an audit snapshot records, if any. */
const statusIn = (snapshot: unknown) => (typeof snapshot === 'object' && snapshot !== null && 'status' in snapshot && typeof snapshot.status === 'string' ? snapshot.status : undefined);

function auditLine(e: AuditEntry): string {
  const [before, after] = [statusIn(e.before), statusIn(e.after)];
  const change = before && after && before !== after ? ` (${status(before)} → ${status(after)})` : '';
  return `  ${when(e.at)}  ${e.action}${change}  par ${e.actor}${e.reason ? ` — « ${e.reason} »` : ''}`;
}

export function dossier(d: AdminDossierView): string {
  const s = d.student ?? {};
  const lines = [
    `Dossier       ${d.id}`,
    `Identifiant   ${d.identifier} (${d.academicYear})`,
    `Étudiant(e)   ${s.lastName}${s.usageName ? ` (nom d'usage ${s.usageName})` : ''}, ${s.firstName}, né(e) le ${day(s.birthDate)}`,
    `Formation     ${d.programmeCode}`,
    `Statut        ${status(d.status)}${d.cancelReason ? ` — « ${d.cancelReason} » le ${when(d.cancelledAt)}` : ''}`,
    `Étapes        ${STEP_ORDER.map((k) => `${STEP_NAMES[k]} ${d.steps[k].status === 'done' ? '✓' : '✗'}`).join(' · ')}`,
    ...(d.steps?.ine?.ine ? [`INE           ${d.steps.ine.ine}${d.steps.ine.format === 'provisional' ? ' (provisoire)' : ''}`] : []),
    `Droits        ${euros(d.fees?.amountCents)} (${d.fees?.exempt ? 'exonéré, ' : ''}${d.fees?.reason ? feeReasonLabel(d.fees.reason, 'fr') : '–'})`,
    `Paiement      ${d.payment?.status ? paymentStatusLabel(d.payment.status, 'fr') : '–'}${d.payment?.method ? ` · ${paymentMethodLabel(d.payment.method, 'fr')}` : ''}${d.payment?.reference ? ` · réf. ${d.payment.reference}` : ''}${d.payment?.paidAt ? ` · le ${when(d.payment.paidAt)}` : ''}`,
  ];
  if (d.paymentAnomaly)
    lines.push(`Anomalie      paiement en ligne non accepté (${anomalyReasonLabel(d.paymentAnomaly.reason, 'fr')}, réf. ${d.paymentAnomaly.reference}) : à rembourser ou régulariser`);
  if (d.admission) {
    const a = d.admission;
    lines.push(
      `Admission     ${a.source} · ${a.email} · né(e) à ${a.birthPlace} (${a.birthCountry}) · ${a.nationality}${a.importedAt ? ` · importée le ${when(a.importedAt)} par ${a.importedBy}` : ''}`,
    );
  }
  if (d.audit) lines.push('', d.audit.length ? 'Journal' : 'Journal       (aucune action d’opérateur)', ...d.audit.map(auditLine));
  return lines.join('\n');
}

export function supportList(items: SupportRequest[]): string {
  if (items.length === 0) return 'Aucune demande d’assistance.';
  return table(
    ['Reçue le', 'Identifiant', 'Nom', 'Prénom', 'Filière', 'Courriel', 'Message'],
    items.map((r) => [when(r.receivedAt), r.identifier, r.lastName, r.firstName, r.programme, r.email, shorten(r.message, 60)]),
  );
}

/** One rejected import line. */
export const rejection = (r: ImportRejection) => `  ligne ${String(r.line).padStart(5)}  ${r.identifier ? `${r.identifier}  ` : ''}${r.error}`;
