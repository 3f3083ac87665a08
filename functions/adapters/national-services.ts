/**
 * Ports to the national services the wizard checks against:
 * - CVEC control API (certificate number + the surname's key, `cvecSurnameKey` → state and civil status);
 * - INES verification (INE-RNIE keys cannot be computed locally).
 * Production adapters speak HTTP to the URLs in CVEC_API_URL / INES_API_URL (set from the stage
 * config, API key from Secrets Manager); the local runtime and tests use stand-ins fed by
 * the `/dev` routes (INSCRIRE_LOCAL_STANDINS=1). An unreachable service is an error, never a pass.
 */
import { UpstreamUnavailableError } from '../shared/failures';
import { ENV, optionalEnv } from '../shared/env';
import { getCvecFixture, getInesFixture } from './dynamo/dev-fixtures';
import { nationalApiKey } from './secrets';

export interface CvecCertificate {
  state: number;
  lastName: string;
  firstName?: string;
  birthDate?: string;
}

export interface CvecPort {
  /** @returns the certificate, or undefined when the service knows no such certificate. */
  lookup(certificateNumber: string, surnameKey: string): Promise<CvecCertificate | undefined>;
}

export interface InesPort {
  /** @returns whether the national service confirms this INES for this birth date. */
  verify(ine: string, birthDate: string): Promise<boolean>;
}

const serviceUnavailable = (service: 'cvec' | 'ines') => new UpstreamUnavailableError(service);

const TIMEOUT_MS = 4000;

async function getJson(service: 'cvec' | 'ines', url: URL): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    const apiKey = await nationalApiKey();
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw serviceUnavailable(service);
  }
  if (res.status === 404) return { status: 404, body: undefined };
  if (!res.ok) throw serviceUnavailable(service);
  try {
    return { status: res.status, body: await res.json() };
  } catch {
    throw serviceUnavailable(service);
  }
}

/** The national CVEC control API: `GET {base}/certificats/{number}?nom={surname key}` → `{etat, nom, prenom, dateNaissance}`. */
export function httpCvecPort(baseUrl: string): CvecPort {
  return {
    async lookup(certificateNumber, surnameKey) {
      const url = new URL(`certificats/${encodeURIComponent(certificateNumber)}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      url.searchParams.set('nom', surnameKey);
      const { status, body } = await getJson('cvec', url);
      if (status === 404) return undefined;
      const b = body as { etat?: unknown; nom?: unknown; prenom?: unknown; dateNaissance?: unknown };
      const state = Number(b.etat);
      if (!Number.isInteger(state) || typeof b.nom !== 'string') throw serviceUnavailable('cvec');
      return {
        state,
        lastName: b.nom,
        firstName: typeof b.prenom === 'string' ? b.prenom : undefined,
        birthDate: typeof b.dateNaissance === 'string' ? b.dateNaissance : undefined,
      };
    },
  };
}

/** INES verification: `GET {base}/ines/{ine}?dateNaissance=YYYY-MM-DD` → 200 `{valide: boolean}`. */
export function httpInesPort(baseUrl: string): InesPort {
  return {
    async verify(ine, birthDate) {
      const url = new URL(`ines/${encodeURIComponent(ine)}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      url.searchParams.set('dateNaissance', birthDate);
      const { status, body } = await getJson('ines', url);
      return status !== 404 && (body as { valide?: unknown }).valide === true;
    },
  };
}

const localCvec: CvecPort = {
  async lookup(certificateNumber) {
    const f = await getCvecFixture(certificateNumber);
    return f && { state: f.state, lastName: f.lastName, firstName: f.firstName, birthDate: f.birthDate };
  },
};

const localInes: InesPort = {
  async verify(ine, birthDate) {
    const f = await getInesFixture(ine);
    return f !== undefined && f.birthDate === birthDate;
  },
};

function standinsAllowed(): boolean {
  return optionalEnv('INSCRIRE_LOCAL_STANDINS') === '1';
}

export function cvecPort(): CvecPort {
  const url = optionalEnv(ENV.cvecApiUrl);
  if (url) return httpCvecPort(url);
  if (standinsAllowed()) return localCvec;
  throw new Error('CVEC_API_URL is not configured');
}

export function inesPort(): InesPort {
  const url = optionalEnv(ENV.inesApiUrl);
  if (url) return httpInesPort(url);
  if (standinsAllowed()) return localInes;
  throw new Error('INES_API_URL is not configured');
}
