/**
 * The admitted student most tests start from (Léa Martin, Parcoursup, L1 Informatique), as
 * API.md's admission record. Pure data: usable from unit, handler and integration tests.
 */
export const LEA = {
  identifier: 'P261234567',
  source: 'parcoursup',
  birthName: 'Martin',
  firstNames: 'Léa Anne',
  sex: 'F',
  birthDate: '2008-03-14',
  birthPlace: 'Marseille',
  birthCountry: 'FR',
  nationality: 'française',
  email: 'lea.martin@example.org',
  programmeCode: 'L1-INFO',
  academicYear: '2026-2027',
} as const;
