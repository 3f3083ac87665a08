/**
 * The Lambda functions' message catalogue (functions/domain/messages/catalogue.ts): the packed
 * module matches the tables, its lookups answer exactly as the tables' do, it is unpacked on the
 * first lookup only, and a function's bundle carries it instead of the tables.
 */
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { PACKED_CATALOGUE } from '../../functions/domain/messages/catalogue.generated';
import * as packed from '../../functions/domain/messages/catalogue';
import { ERROR_MESSAGES, type ErrorCode } from '../../functions/domain/messages/errors';
import * as plain from '../../functions/domain/messages/fields';
import { LANGS } from '../../functions/domain/messages/lang';
import { catalogueFromTables } from '../../scripts/messages';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('the packed message catalogue', () => {
  it('is unpacked on the first lookup, not when its module loads, and only once', async () => {
    vi.resetModules();
    // The catalogue loads node:zlib when it unpacks (and only then), so these calls count the unpackings.
    const builtins = vi.spyOn(process, 'getBuiltinModule');
    try {
      const fresh = await import('../../functions/domain/messages/catalogue');
      // Functions whose modules look messages up: a public one, a student step, an operator one, the status view's.
      for (const handler of [
        import('../../functions/public/session'),
        import('../../functions/steps/identity'),
        import('../../functions/admin/import-admissions'),
        import('../../functions/public/status'),
      ]) {
        expect(typeof (await handler).handler).toBe('function');
      }
      expect(builtins).not.toHaveBeenCalledWith('node:zlib');
      expect(fresh.fieldMessage('required', 'en')).toBe('This field is required. Please fill it in.');
      expect(fresh.errorMessage('FORBIDDEN', 'fr')).toBe(ERROR_MESSAGES.FORBIDDEN.fr);
      expect(fresh.isFieldCode('required')).toBe(true);
      expect(builtins.mock.calls.filter(([id]) => id === 'node:zlib')).toHaveLength(1);
    } finally {
      builtins.mockRestore();
    }
  });

  it('holds exactly the tables (French typography applied): regenerate it with `npm run messages`', () => {
    const stale = 'functions/domain/messages/catalogue.generated.ts does not match the message tables: run `npm run messages` and commit the result';
    expect(packed.unpackCatalogue(PACKED_CATALOGUE), stale).toStrictEqual(catalogueFromTables());
  });

  it('answers every field code as the pages’ table does, the unknown ones with the generic message', () => {
    for (const code of plain.FIELD_CODES) {
      expect(packed.isFieldCode(code), code).toBe(true);
      for (const lang of LANGS) expect(packed.fieldMessage(code, lang), `${code} ${lang}`).toBe(plain.fieldMessage(code, lang));
    }
    expect(packed.fieldMessage('cvec_mismatch', 'fr')).toContain('\u2019');
    for (const code of ['no_such_code', 'constructor', '__proto__', 'toString', 'INTERNAL_ERROR']) {
      expect(packed.isFieldCode(code), code).toBe(plain.isFieldCode(code));
      expect(packed.isFieldCode(code), code).toBe(false);
      for (const lang of LANGS) expect(packed.fieldMessage(code as plain.FieldCode, lang)).toBe(plain.fieldMessage('invalid', lang));
    }
    expect(packed.isFieldCode(42)).toBe(false);
  });

  it('gives every error code its text with the placeholders filled, an unknown code the internal error', () => {
    for (const [code, entry] of Object.entries(ERROR_MESSAGES)) {
      for (const lang of LANGS) {
        const params = { nextOpening: 'mercredi 24 juin 2026 à 09:00', maxBytes: 1024, status: 'brouillon' };
        const expected = entry[lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key as keyof typeof params] ?? ''));
        expect(packed.errorMessage(code as ErrorCode, lang, params), `${code} ${lang}`).toBe(expected);
      }
    }
    expect(packed.errorMessage('PAYLOAD_TOO_LARGE', 'en', { maxBytes: 1024 })).toBe('The request is too large (at most 1024 bytes).');
    expect(packed.errorMessage('SERVICE_CLOSED', 'fr')).not.toContain('{');
    for (const code of ['NO_SUCH_CODE', 'constructor', '__proto__']) {
      for (const lang of LANGS) expect(packed.errorMessage(code as ErrorCode, lang)).toBe(ERROR_MESSAGES.INTERNAL_ERROR[lang]);
    }
  });

  it('is what a function bundle carries, without the tables', async () => {
    // One esbuild run (minified ESM for Node, as the functions are bundled) over the modules that look messages up at run time.
    const result = await esbuild.build({
      stdin: {
        contents: ["export { handler as importAdmissions } from './functions/admin/import-admissions';", "export { handler as status } from './functions/public/status';"].join('\n'),
        resolveDir: repoRoot,
        loader: 'ts',
      },
      absWorkingDir: repoRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      mainFields: ['module', 'main'],
      write: false,
      metafile: true,
      outfile: 'out.mjs',
      logLevel: 'silent',
    });
    const [output] = Object.values(result.metafile.outputs);
    const carried = Object.entries(output!.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
    expect(carried).toContain('functions/domain/messages/catalogue.generated.ts');
    expect(carried).toContain('functions/domain/admission-import.ts');
    expect(carried).toContain('functions/shared/status-view.ts');
    expect(carried).not.toContain('functions/domain/messages/fields.ts');
    expect(carried).not.toContain('functions/domain/messages/errors.ts');
  });
});
