import { expect } from 'vitest';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import type { Scholarship } from '../../functions/domain/cvec';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { httpEvent, invoke } from './events';
import { loggedInStudent } from './students';

/**
 * (A granted scholarship is proven by the CVEC certificate's state 71 unless `cvecState` says otherwise.)
 * A logged-in demo-like student (Léa Martin, L1-INFO) with every wizard step done, writing to
 * `email`; the service must be open (fake the clock inside a window).
 */
export async function studentReadyToSubmit(o: { email: string; scholarship: Scholarship; lang?: 'fr' | 'en'; cvecState?: number }) {
  const student = await loggedInStudent();
  const put = async (handler: typeof identity, body: unknown) => {
    const res = await invoke(handler, httpEvent({ method: 'PUT', path: '/api/dossier/step', body, token: student.token, lang: o.lang }));
    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
  };
  await put(identity, { email: o.email, phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } });
  await put(ine, { ine: '1234567890V' });
  await put(situation, { regime: 'formation_initiale', scholarship: o.scholarship });
  const certificateNumber = `AMU6${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await putCvecFixture({ certificateNumber, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: o.cvecState ?? (o.scholarship === 'granted' ? 71 : 75) });
  await put(cvec, { certificateNumber });
  await put(programme, { programmeCode: 'L1-INFO' });
  return {
    ...student,
    submit: () => invoke(submit, httpEvent({ method: 'POST', path: '/api/dossier/submit', token: student.token, lang: o.lang })),
  };
}
