import * as z from 'zod/mini';
import { getAdmission, searchAdmissionsByName, type Admission } from '../adapters/dynamo/admissions';
import { getDossier, getDossiers, listDossiersByStatus } from '../adapters/dynamo/dossiers';
import { dossierIdsByIne } from '../adapters/dynamo/ine-lookup';
import type { Page } from '../adapters/dynamo/cursor';
import { nameSearchKey } from '../domain/admission';
import { optionalText } from '../domain/text';
import { DossierStatus, type Dossier } from '../domain/dossier';
import { normalizeIdentifier } from '../domain/identifier';
import { checkIne, normalizeIne } from '../domain/ine';
import { AcademicYear } from '../domain/schemas';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import { validationFailed } from '../shared/errors';
import type { SearchItem, SearchPage } from '../shared/contracts';
import { pageQuery } from '../shared/page-query';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { isDossierId } from '../shared/operator';
import { currentStage } from '../shared/stage';

/**
 * GET /api/admin/dossiers?q=&status=&programme=&year=&limit=&cursor= — find a student's dossier.
 *
 * `q` is, in this order: a login identifier (any spelling: CAND… finds M3…) → its admission
 * and dossier; an INE (functions/domain/ine.ts: any case, spaces ignored) → the dossiers holding
 * it now, through their INE lookup (functions/adapters/dynamo/ine-lookup.ts), while a string of
 * an INE's shape whose key is wrong is refused naming `q`; a dossier id; otherwise the start of
 * "name first names" (accents, case, spaces, hyphens and apostrophes ignored), looked up on the
 * admissions' name index, so that students who have not logged in yet are found too
 * (`status: "no_dossier"`). `status` alone lists the year's dossiers in that status, most
 * recently created first; with `q` it filters the matches (a page may then hold fewer than
 * `limit` items: follow `next`). Year: the current academic year unless `year` says otherwise.
 */
const SearchQuery = z.object({
  q: optionalText(100),
  status: z.optional(DossierStatus),
  /** A programme code: keeps the matches of that programme (a page may then hold fewer than `limit`). */
  programme: optionalText(30),
  year: z.optional(AcademicYear),
  ...pageQuery(20),
});

const fromDossier = (d: Dossier, updatedAt: string | null): SearchItem => ({
  id: d.id,
  identifier: d.identifier,
  academicYear: d.academicYear,
  status: d.status,
  lastName: d.student.lastName,
  usageName: d.student.usageName ?? null,
  firstName: d.student.firstName,
  programmeCode: d.programmeCode,
  scholarship: d.steps.situation.scholarship ?? null,
  paymentStatus: d.payment.status,
  updatedAt,
});

const fromAdmission = (a: Admission): SearchItem => ({
  id: null,
  identifier: a.identifier,
  academicYear: a.academicYear,
  status: 'no_dossier',
  lastName: a.birthName,
  usageName: a.usageName ?? null,
  firstName: a.firstNames,
  programmeCode: a.programmeCode,
  scholarship: null,
  paymentStatus: null,
  updatedAt: null,
});

/** Admissions as search items: their dossier when the student has logged in. */
async function withDossiers(admissions: Admission[]): Promise<SearchItem[]> {
  const dossiers = await getDossiers(admissions.flatMap((a) => (a.dossierId ? [a.dossierId] : [])));
  return admissions.map((a) => {
    const listed = a.dossierId ? dossiers.get(a.dossierId) : undefined;
    return listed ? fromDossier(listed.dossier, listed.updatedAt) : fromAdmission(a);
  });
}

/** The year's dossiers whose INE is `ine` now: a lookup item left by an INE since changed finds nothing. */
async function byIne(ine: string, year: string): Promise<SearchItem[]> {
  const dossiers = await getDossiers(await dossierIdsByIne(ine, year));
  return [...dossiers.values()].filter((l) => normalizeIne(l.dossier.steps.ine.ine ?? '') === ine && l.dossier.academicYear === year).map((l) => fromDossier(l.dossier, l.updatedAt));
}

async function search(q: string, year: string, limit: number, cursor?: string): Promise<Page<SearchItem>> {
  const identifier = normalizeIdentifier(q);
  if (identifier.ok) {
    const admission = await getAdmission(identifier.value, year);
    return { items: admission ? await withDossiers([admission]) : [], next: null };
  }
  const ine = checkIne(q);
  if (ine.ok) return { items: await byIne(ine.ine, year), next: null };
  // The shape of one INE format with a wrong key or letter: a typing mistake, not a name.
  if (ine.format !== null) throw validationFailed({ q: 'search_ine_invalid' });
  if (isDossierId(q.toLowerCase())) {
    const dossier = await getDossier(q.toLowerCase());
    return { items: dossier && dossier.academicYear === year ? [fromDossier(dossier, null)] : [], next: null };
  }
  if (nameSearchKey(q).length < 2) throw validationFailed({ q: 'search_criteria_required' });
  const page = await searchAdmissionsByName(year, q, limit, cursor);
  return { items: await withDossiers(page.items), next: page.next };
}

export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<SearchPage>> => {
  const parsed = validate(SearchQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const { q, status, programme, limit, cursor } = parsed.data;
  const ofProgramme = (items: SearchItem[]) => (programme ? items.filter((i) => i.programmeCode === programme) : items);
  const year = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  if (q !== undefined) {
    const page = await search(q, year, limit, cursor);
    return { statusCode: 200, body: { items: ofProgramme(status ? page.items.filter((i) => i.status === status) : page.items), next: page.next, academicYear: year } };
  }
  if (!status) throw validationFailed({ q: 'search_criteria_required' });
  const page = await listDossiersByStatus(year, status, limit, cursor);
  return { statusCode: 200, body: { items: ofProgramme(page.items.map((l) => fromDossier(l.dossier, l.updatedAt))), next: page.next, academicYear: year } };
});
