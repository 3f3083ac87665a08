/**
 * The local runtime's one origin for the pages (scripts/local/canonical-host.ts): a page opened
 * by another loopback name goes to the public origin; the API, /dev, files, other ports and
 * other hosts are answered where they are asked.
 */
import { describe, expect, it } from 'vitest';
import { canonicalRedirect } from '../../scripts/local/canonical-host';

const ORIGIN = 'http://localhost:3100';
const at = (path: string) => new URL(path, 'http://localhost');

describe('canonicalRedirect', () => {
  it('sends page navigations by 127.0.0.1 or [::1] to the public origin, path and query kept', () => {
    expect(canonicalRedirect('GET', '127.0.0.1:3100', at('/etapes/ine?retour=recapitulatif'), ORIGIN)).toBe('http://localhost:3100/etapes/ine?retour=recapitulatif');
    expect(canonicalRedirect('HEAD', '[::1]:3100', at('/'), ORIGIN)).toBe('http://localhost:3100/');
  });

  it('answers in place the public origin itself, the API, /dev, files, writes, other ports and other hosts', () => {
    expect(canonicalRedirect('GET', 'localhost:3100', at('/connexion'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', 'LOCALHOST:3100', at('/connexion'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', '127.0.0.1:3100', at('/api/status'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', '127.0.0.1:3100', at('/dev/checkout/cs_1'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', '127.0.0.1:3100', at('/main-ABCDEFGH.js'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('POST', '127.0.0.1:3100', at('/connexion'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', '127.0.0.1:3200', at('/connexion'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', 'evil.example:3100', at('/connexion'), ORIGIN)).toBeNull();
    expect(canonicalRedirect('GET', undefined, at('/connexion'), ORIGIN)).toBeNull();
  });
});
