import { describe, expect, it } from 'vitest';
import {
  AdmissionRecord,
  CancelBody,
  CvecBody,
  IneBody,
  IneValue,
  LoginBody,
  OfficePaymentBody,
  ProgrammeBody,
  ServiceModeBody,
  SituationBody,
  SupportBody,
  admissionRecord,
  cvecBody,
  isCalendarDate,
  loginBody,
} from '../../functions/domain/schemas';
import { ROOT_FIELD, translateFields, validate } from '../../functions/domain/validate';
import { FIELD_CODES, fieldMessage, isFieldCode, type FieldCode } from '../../functions/domain/messages/fields';
import { checkIne } from '../../functions/domain/ine';
import { checkCvecFormat, evaluateCertificate } from '../../functions/domain/cvec';

/** A fixed clock: 24 June 2026, 09:00 Paris. */
const clock = () => new Date('2026-06-24T07:00:00Z');
const Login = loginBody(clock);

describe('LoginBody', () => {
  it.each([
    [
      { identifier: 'cand 1234 5678', birthDate: '2005-03-21' },
      { identifier: 'M312345678', birthDate: '2005-03-21' },
    ],
    [
      { identifier: 'P261234567', birthDate: '2004-02-29' },
      { identifier: 'P261234567', birthDate: '2004-02-29' },
    ], // leap year
    [
      { identifier: '12345678', birthDate: ' 1900-01-01 ' },
      { identifier: '12345678', birthDate: '1900-01-01' },
    ],
    [
      { identifier: '12345678', birthDate: '2026-06-24' },
      { identifier: '12345678', birthDate: '2026-06-24' },
    ], // today
  ])('accepts %j', (input, data) => {
    expect(validate(Login, input)).toEqual({ ok: true, data });
  });

  it.each([
    ['2026-02-30', 'date_invalid'],
    ['2025-02-29', 'date_invalid'], // not a leap year
    ['1900-02-29', 'date_invalid'], // 1900 was not a leap year
    ['2005-13-01', 'date_invalid'],
    ['2005-00-10', 'date_invalid'],
    ['2005-04-31', 'date_invalid'],
    ['2005-01-00', 'date_invalid'],
    ['2026-06-25', 'date_in_future'], // tomorrow everywhere on Earth
    ['2099-01-01', 'date_in_future'],
    ['1899-12-31', 'date_too_old'],
    ['21/03/2005', 'date_format'], // not accepted at login
    ['2005-3-21', 'date_format'],
    ['20050321', 'date_format'],
    ['2005-03-21T00:00:00Z', 'date_format'],
    ['', 'required'],
  ])('refuses birth date %j (%s)', (birthDate, code) => {
    expect(validate(Login, { identifier: '12345678', birthDate })).toEqual({ ok: false, fields: { birthDate: code } });
  });

  it.each([
    [{ identifier: 'ABC', birthDate: '2005-03-21' }, { identifier: 'identifier_format' }],
    [{ identifier: '', birthDate: '2005-03-21' }, { identifier: 'required' }],
    [{ birthDate: '2005-03-21' }, { identifier: 'required' }],
    [{ identifier: 12345678, birthDate: '2005-03-21' }, { identifier: 'invalid_type' }],
    [{ identifier: '12345678', birthDate: 20050321 }, { birthDate: 'invalid_type' }],
    [{}, { identifier: 'required', birthDate: 'required' }],
    [null, { [ROOT_FIELD]: 'required' }],
    ['identifier=1', { [ROOT_FIELD]: 'invalid_type' }],
    [[], { [ROOT_FIELD]: 'invalid_type' }],
  ])('refuses %j', (input, fields) => {
    expect(validate(Login, input)).toEqual({ ok: false, fields });
  });

  it('uses the real clock by default (a date far in the future is refused)', () => {
    expect(validate(LoginBody, { identifier: '12345678', birthDate: '2999-01-01' })).toEqual({ ok: false, fields: { birthDate: 'date_in_future' } });
  });

  it('strips unknown keys and cannot pollute prototypes', () => {
    const input = JSON.parse('{"identifier":"12345678","birthDate":"2005-03-21","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}');
    const r = validate(Login, input);
    expect(r).toEqual({ ok: true, data: { identifier: '12345678', birthDate: '2005-03-21' } });
    expect(r.ok && Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('isCalendarDate', () => {
  it.each([
    [2024, 2, 29, true],
    [2000, 2, 29, true],
    [2100, 2, 29, false],
    [2026, 2, 30, false],
    [2026, 12, 31, true],
    [2026, 12, 32, false],
    [1, 1, 1, true], // years below 100 are not shifted to 19xx
  ])('%i-%i-%i → %s', (y, m, d, ok) => {
    expect(isCalendarDate(y, m, d)).toBe(ok);
  });
});

describe('IneBody', () => {
  it.each([
    [{ ine: ' 1234567890v ' }, { ine: '1234567890v' }],
    [
      { ine: '1234567890V', noIne: false },
      { ine: '1234567890V', noIne: false },
    ],
    [
      { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true },
      { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true },
    ],
    // Shape only: the declaration rule is the domain's (ineDeclarationAllowsNoIne).
    [
      { noIne: true, noFrenchBac: false, neverEnrolledInFrenchUniversity: true },
      { noIne: true, noFrenchBac: false, neverEnrolledInFrenchUniversity: true },
    ],
  ])('accepts %j', (input, data) => {
    expect(validate(IneBody, input)).toEqual({ ok: true, data });
  });

  it.each([
    [{}, { ine: 'required' }],
    [{ ine: '' }, { ine: 'ine_required' }],
    [{ ine: 'x'.repeat(65) }, { ine: 'ine_length' }],
    [{ noIne: true }, { noFrenchBac: 'required', neverEnrolledInFrenchUniversity: 'required' }],
    [{ noIne: true, noFrenchBac: 'yes', neverEnrolledInFrenchUniversity: true }, { noFrenchBac: 'invalid_type' }],
    [{ noIne: 'yes' }, { noIne: 'invalid_choice' }],
  ])('refuses %j', (input, fields) => {
    expect(validate(IneBody, input)).toEqual({ ok: false, fields });
  });

  it('IneValue runs the full INE check and names the recognised format', () => {
    expect(validate(IneValue, '1234567890V')).toEqual({ ok: true, data: { ine: '1234567890V', format: 'bea', needsRemoteCheck: false } });
    expect(validate(IneValue, '1234567890W')).toEqual({ ok: false, fields: { [ROOT_FIELD]: 'ine_bea_bad_key' } });
  });
});

describe('SituationBody, CvecBody, ProgrammeBody', () => {
  it('accepts a situation', () => {
    expect(validate(SituationBody, { regime: 'ifsi', scholarship: 'pending' })).toEqual({ ok: true, data: { regime: 'ifsi', scholarship: 'pending' } });
  });

  it.each([
    [{ regime: 'stage', scholarship: 'none' }, { regime: 'invalid_choice' }],
    [{ regime: 'cpge' }, { scholarship: 'required' }],
    [{ regime: 'cpge', scholarship: 'maybe' }, { scholarship: 'invalid_choice' }],
  ])('refuses situation %j', (input, fields) => {
    expect(validate(SituationBody, input)).toEqual({ ok: false, fields });
  });

  it.each([
    [{ certificateNumber: 'aix6 abc/123' }, { ok: true, data: { certificateNumber: 'AIX6ABC123' } }],
    [{ certificateNumber: 'AIX6AB' }, { ok: false, fields: { certificateNumber: 'cvec_format' } }],
    [{ certificateNumber: ' / ' }, { ok: false, fields: { certificateNumber: 'required' } }],
    [{}, { ok: false, fields: { certificateNumber: 'required' } }],
  ])('CvecBody %j', (input, expected) => {
    expect(validate(CvecBody, input)).toEqual(expected);
  });

  it.each([
    [{ certificateNumber: 'AIX6ABC123' }, { ok: true, data: { certificateNumber: 'AIX6ABC123' } }],
    [{ certificateNumber: 'AIX5ABC123' }, { ok: false, fields: { certificateNumber: 'cvec_wrong_campaign' } }],
  ])('cvecBody(2026) %j', (input, expected) => {
    expect(validate(cvecBody(2026), input)).toEqual(expected);
  });

  it.each([
    [{ programmeCode: ' l1-info ' }, { ok: true, data: { programmeCode: 'L1-INFO' } }],
    [{ programmeCode: 'L1 INFO' }, { ok: false, fields: { programmeCode: 'programme_code_format' } }],
    [{ programmeCode: 'X'.repeat(33) }, { ok: false, fields: { programmeCode: 'too_long' } }],
  ])('ProgrammeBody %j', (input, expected) => {
    expect(validate(ProgrammeBody, input)).toEqual(expected);
  });
});

describe('SupportBody', () => {
  const ok = {
    identifier: 'cand12345678',
    lastName: "N'Guessan",
    firstName: 'Jean-Luc',
    programme: 'Licence 1 Informatique',
    email: 'jl@example.org',
    message: 'Bonjour,\nje ne trouve pas mon INE.\nMerci',
  };

  it('accepts a request, normalising a recognisable identifier and keeping line breaks', () => {
    expect(validate(SupportBody, ok)).toEqual({ ok: true, data: { ...ok, identifier: 'M312345678' } });
  });

  it('keeps an unrecognised identifier as typed (the student may be stuck on it)', () => {
    const r = validate(SupportBody, { ...ok, identifier: ' CAND1234 ' });
    expect(r.ok && r.data.identifier).toBe('CAND1234');
  });

  it.each([
    [{ message: '' }, { message: 'required' }],
    [{ message: 'x'.repeat(4001) }, { message: 'too_long' }],
    [{ message: 'hi\u0000there' }, { message: 'control_characters' }],
    [{ lastName: 'R2-D2' }, { lastName: 'name_characters' }],
    [{ firstName: '<b>Jean</b>' }, { firstName: 'name_characters' }],
    [{ email: 'jl@' }, { email: 'email_format' }],
    [{ programme: undefined }, { programme: 'required' }],
  ])('refuses %j', (over, fields) => {
    expect(validate(SupportBody, { ...ok, ...over })).toEqual({ ok: false, fields });
  });

  it('accepts exactly 4000 characters', () => {
    expect(validate(SupportBody, { ...ok, message: 'é'.repeat(4000) }).ok).toBe(true);
  });
});

describe('AdmissionRecord', () => {
  const Admission = admissionRecord(clock);
  const row = {
    identifier: 'CAND12345678',
    source: 'monmaster',
    birthName: 'Lefèvre',
    usageName: '',
    firstNames: 'Élodie Marie',
    sex: 'f',
    birthDate: '21/03/2005',
    birthPlace: 'Marseille',
    birthCountry: 'France',
    nationality: 'française',
    email: 'elodie@example.org',
    programmeCode: 'm1-info',
    academicYear: '2026-2027',
  };

  it('normalises a CSV-like row', () => {
    const r = validate(Admission, row);
    expect(r).toEqual({
      ok: true,
      data: { ...row, identifier: 'M312345678', usageName: undefined, sex: 'F', birthDate: '2005-03-21', programmeCode: 'M1-INFO' },
    });
    expect(validate(AdmissionRecord, row).ok).toBe(true);
  });

  it.each([
    [{ identifier: 'CAND123' }, { identifier: 'identifier_format' }],
    [{ source: 'apb' }, { source: 'invalid_choice' }],
    [{ sex: 'H' }, { sex: 'invalid_choice' }],
    [{ birthDate: '31/02/2005' }, { birthDate: 'date_invalid' }],
    [{ birthDate: '2030-01-01' }, { birthDate: 'date_in_future' }],
    [{ academicYear: '2026-2028' }, { academicYear: 'academic_year_format' }],
    [{ academicYear: '2026/2027' }, { academicYear: 'academic_year_format' }],
    [{ email: 'nope' }, { email: 'email_format' }],
    [{ birthName: '' }, { birthName: 'required' }],
    [{ usageName: 'X'.repeat(101) }, { usageName: 'too_long' }],
  ])('refuses %j', (over, fields) => {
    expect(validate(Admission, { ...row, ...over })).toEqual({ ok: false, fields });
  });
});

describe('operator bodies', () => {
  it.each([
    [ServiceModeBody, { mode: 'closed', reason: 'Incident Apogée' }, true],
    [ServiceModeBody, { mode: 'calendar', reason: 'Retour au calendrier' }, true],
    [ServiceModeBody, { mode: 'shut', reason: 'Incident' }, false],
    [ServiceModeBody, { mode: 'open', reason: 'ok' }, false],
    [ServiceModeBody, { mode: 'open', reason: 'x'.repeat(501) }, false],
    [ServiceModeBody, { mode: 'open' }, false],
    [OfficePaymentBody, { reference: 'REC-2026-0042', kind: 'paid' }, true],
    [OfficePaymentBody, { reference: 'CROUS-77', kind: 'scholarship_granted' }, true],
    [OfficePaymentBody, { reference: '', kind: 'paid' }, false],
    [OfficePaymentBody, { reference: 'R', kind: 'refund' }, false],
    [CancelBody, { reason: 'Demande de l’étudiant' }, true],
    [CancelBody, { reason: '  ' }, false],
  ] as const)('%#: %j → ok %s', (schema, input, ok) => {
    expect(validate(schema, input).ok).toBe(ok);
  });

  it('names the field and the reason', () => {
    expect(validate(ServiceModeBody, { mode: 'shut', reason: 'ok' })).toEqual({ ok: false, fields: { mode: 'invalid_choice', reason: 'too_short' } });
  });
});

describe('messages (fields.ts)', () => {
  /** Every reason code the domain modules can emit. */
  const emitted: FieldCode[] = [
    // validate.ts built-in mapping
    'required',
    'invalid_type',
    'too_long',
    'too_short',
    'too_large',
    'too_small',
    'too_many',
    'too_few',
    'invalid_format',
    'invalid_choice',
    'unknown_field',
    'invalid',
    'email_format',
    'date_format',
    // schemas / contacts
    'identifier_format',
    'date_invalid',
    'date_in_future',
    'date_too_old',
    'academic_year_format',
    'phone_format',
    'country_code',
    'postal_code_format',
    'control_characters',
    'forbidden_characters',
    'name_characters',
    'programme_code_format',
    // INE (reasons and format-qualified codes)
    'ine_required',
    'ine_characters',
    'ine_length',
    'ine_unknown_format',
    'ine_bad_key',
    'ine_identical_digits',
    'ine_forbidden_key_letter',
    'ine_all_letters',
    'ine_bea_bad_key',
    'ine_bea_identical_digits',
    'ine_bea_forbidden_key_letter',
    'ine_base36_bad_key',
    'ine_base36_identical_digits',
    'ine_base36_all_letters',
    'ine_sifa_forbidden_key_letter',
    'ine_provisional_forbidden_key_letter',
    'ine_no_ine_not_allowed',
    'ine_ines_not_found',
    'ine_ines_not_confirmed',
    'ine_check_unavailable',
    // CVEC
    'cvec_format',
    'cvec_wrong_campaign',
    'cvec_state_invalid',
    'cvec_mismatch',
    'cvec_not_found',
    'cvec_check_unavailable',
    // dossier
    'step_locked',
    'incomplete',
    'invalid_transition',
    'programme_not_admitted',
    'payment_not_due',
    'payment_pay_at_office',
    'payment_already_done',
    'payment_cancelled',
    'payment_amount_mismatch',
    'fee_rate_missing',
  ];

  it.each(emitted)('has French and English text for %s', (code) => {
    expect(isFieldCode(code)).toBe(true);
    const fr = fieldMessage(code, 'fr');
    const en = fieldMessage(code, 'en');
    expect(fr.length).toBeGreaterThan(10);
    expect(en.length).toBeGreaterThan(10);
    expect(fr).not.toBe(en);
  });

  it('covers the codes produced by the modules themselves', () => {
    const samples = [
      ...['', '1', '1234567890W', '1111111111B', '1234567890I', '01234567894', '22222222220', 'ABCDEFGHJK5', '1234A12345I', '0226D00001Q', 'ABCDEFGHJKL', '12-34'].map((s) => {
        const r = checkIne(s);
        return r.ok ? 'ok' : r.code;
      }),
      ...['AIX5ABC123', 'AI'].map((s) => {
        const r = checkCvecFormat(s, 2026);
        return r.ok ? 'ok' : r.reason;
      }),
      (() => {
        const r = evaluateCertificate({ state: 75, lastName: 'X' }, { lastName: 'Y', firstNames: 'Z', birthDate: '2000-01-01' });
        return r.ok ? 'ok' : r.reason;
      })(),
    ];
    for (const code of samples) expect(isFieldCode(code), code).toBe(true);
  });

  it('uses French typography (’ apostrophes, no-break space before : ; ? !) and accents', () => {
    for (const code of FIELD_CODES) {
      const fr = fieldMessage(code, 'fr');
      expect(fr, code).not.toMatch(/'/);
      expect(fr, code).not.toMatch(/ [:;?!]/);
    }
    expect(fieldMessage('date_invalid', 'fr')).toContain('Cette date n’existe pas');
    expect(fieldMessage('ine_length', 'fr')).toContain('exactement 11 caractères');
  });

  it('INE messages say where to find the INE', () => {
    expect(fieldMessage('ine_bea_bad_key', 'fr')).toMatch(/INE-BEA.*lycée.*relevé de notes du baccalauréat.*première université/s);
    expect(fieldMessage('ine_bea_bad_key', 'en')).toMatch(/INE-BEA.*high school.*baccalauréat transcript.*first university/s);
  });

  it('the CVEC mismatch message carries the seed’s explanation', () => {
    expect(fieldMessage('cvec_mismatch', 'fr')).toContain(
      'L’état civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l’outil de candidature, en conformité avec votre pièce d’identité',
    );
    expect(fieldMessage('cvec_mismatch', 'en')).toMatch(/civil status used on the CROUS website must be the same as the one used in the application tool/);
  });

  it('falls back to a generic message for an unknown code, and ignores prototype keys', () => {
    expect(fieldMessage('no_such_code' as FieldCode, 'fr')).toBe(fieldMessage('invalid', 'fr'));
    expect(fieldMessage('constructor' as FieldCode, 'en')).toBe(fieldMessage('invalid', 'en'));
    expect(fieldMessage('__proto__' as FieldCode, 'en')).toBe(fieldMessage('invalid', 'en'));
    expect(isFieldCode('toString')).toBe(false);
  });

  it('translateFields localises every path', () => {
    expect(translateFields({ 'address.postalCode': 'postal_code_format', email: 'required' }, 'en')).toEqual({
      'address.postalCode': fieldMessage('postal_code_format', 'en'),
      email: 'This field is required. Please fill it in.',
    });
  });
});
