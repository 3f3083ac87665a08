/**
 * The deployed code: each function's bundle, built with the production bundling settings
 * (ESM, node22, minified, source maps, AWS SDK included), loads in a fresh Node process with
 * the environment its function is deployed with, and exports `handler`. This is what
 * catches a dependency missing from package.json, a CommonJS/ESM interop failure or a
 * module-scope crash, none of which the template shows.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, it } from 'vitest';
import { jobs, routes } from '../../functions/routes';
import { functionProperties, synthStage, type Synthesised } from './synth';

const run = promisify(execFile);

let s: Synthesised;
// One esbuild run per function (about 1.5 s of CPU each): minutes on a shared, busy 2-core machine.
beforeAll(() => {
  s = synthStage('prod', { bundle: true });
}, 900_000);

/** Deployed environment, with CloudFormation references replaced by plausible stand-ins. */
function deployedEnv(variables: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-3' };
  for (const [name, value] of Object.entries(variables)) {
    env[name] = typeof value === 'string' ? value : name.endsWith('_ARN') ? `arn:aws:secretsmanager:eu-west-3:123456789012:secret:${name}` : `stand-in-${name}`;
  }
  return env;
}

// The probes are separate Node processes: several at once (vitest's maxConcurrency) overlap their start-ups.
describe.concurrent.each([...routes, ...jobs])('bundle of $id', ({ id }) => {
  it('loads with its deployed environment and exports handler', async ({ expect }) => {
    const props = functionProperties(s.template, id);
    const bundle = join(s.assemblyDir, `asset.${(props.Code.S3Key as string).replace(/\.zip$/, '')}`, 'index.mjs');
    expect(existsSync(bundle), bundle).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);

    const probe = `import(${JSON.stringify(pathToFileURL(bundle).href)}).then((m) => process.stdout.write(typeof m.handler))`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--no-warnings', '-e', probe], { env: deployedEnv(props.Environment.Variables) });
    expect(stdout).toBe('function');
  });
});

/** The modules a function's bundle is made of, from its source map. */
function bundledSources(id: string): string[] {
  const props = functionProperties(s.template, id);
  const map = join(s.assemblyDir, `asset.${(props.Code.S3Key as string).replace(/\.zip$/, '')}`, 'index.mjs.map');
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

// Issue 16, cold starts: what the shared wrappers would otherwise bring into every bundle.
describe('what a bundle carries only where its function uses it', () => {
  it('Powertools Metrics only in the functions that count something (functions/shared/metrics.ts)', ({ expect }) => {
    const counting = [...routes, ...jobs].filter(({ id }) => bundledSources(id).some((src) => src.includes('@aws-lambda-powertools/metrics/')));
    expect(counting.map((f) => f.id).sort()).toEqual(['AdminOfficePayment', 'DocumentCheck', 'InstalmentsDue', 'Mailer', 'PaymentWebhook', 'RefundRetry', 'Session', 'Submit', 'Support'].sort());
  });

  it('the stages’ deployment settings (config/stages.ts, read by the stack) in no function', ({ expect }) => {
    const withStages = [...routes, ...jobs].filter(({ id }) => bundledSources(id).some((src) => src.endsWith('config/stages.ts')));
    expect(withStages.map((f) => f.id)).toEqual([]);
  });

  it('the JSON body parser and its validation (functions/shared/json-body.ts) in no GET or DELETE route', ({ expect }) => {
    const bodiless = routes.filter((r) => r.method === 'GET' || r.method === 'DELETE');
    const withParser = bodiless.filter(({ id }) => bundledSources(id).some((src) => src.includes('@middy/http-json-body-parser/') || src.endsWith('functions/shared/json-body.ts')));
    expect(withParser.map((f) => f.id)).toEqual([]);
    // And it is there where a body is read: the test would pass on a source map that lists nothing.
    expect(bundledSources('Session').some((src) => src.includes('@middy/http-json-body-parser/'))).toBe(true);
  });

  it('the schema library (zod) in none of the routes that only read and show: a schema built at load would keep it (functions/domain/schema-parts.ts)', ({ expect }) => {
    const readers = ['GetDossier', 'Logout', 'Documents', 'Corrections', 'Certificates', 'VerifyCertificate', 'AdminGetDossier'];
    const withZod = readers.filter((id) => bundledSources(id).some((src) => src.includes('/node_modules/zod/')));
    expect(withZod).toEqual([]);
    // And it is there where a body is parsed.
    expect(bundledSources('Session').some((src) => src.includes('/node_modules/zod/'))).toBe(true);
  });

  it('the route list (functions/routes.ts, read by the stack) in no function', ({ expect }) => {
    const withRoutes = [...routes, ...jobs].filter(({ id }) => bundledSources(id).some((src) => src.endsWith('functions/routes.ts')));
    expect(withRoutes.map((f) => f.id)).toEqual([]);
  });
});
