/**
 * `npm run predeploy -- -c stage=<stage>` (scripts/predeploy.ts) refuses a stage whose config
 * still holds a placeholder or an inconsistency, names each one, and lets a filled-in stage
 * through. The synth warns about the same placeholders (day-one.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stages, type StageConfig } from '../../config/stages';
import { PROJECT_ROOT } from '../../lib/config';
import { main, predeployProblems, stageArgument } from '../../scripts/predeploy';

/** The prod stage as a university fills it in (fictitious but not reserved names). */
const filled: StageConfig = {
  ...stages.prod,
  env: { account: '210987654321', region: 'eu-west-3' },
  domain: { names: ['inscription.univ-provence.fr'], certificateArn: 'arn:aws:acm:us-east-1:210987654321:certificate/5f1c2a4e-8d3b-4c6a-9e7f-1a2b3c4d5e6f' },
  apiDomain: { name: 'api.inscription.univ-provence.fr', certificateArn: 'arn:aws:acm:eu-west-3:210987654321:certificate/7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' },
  alarmEmail: 'exploitation-inscrire@univ-provence.fr',
  mailFrom: 'inscription@univ-provence.fr',
  assistanceEmail: 'deve-assistance@univ-provence.fr',
  publicOrigin: 'https://inscription.univ-provence.fr',
  nationalApis: { cvec: 'https://api.cvec.etudiant.gouv.fr/v1', ines: 'https://ines.enseignementsup.gouv.fr/api/v1' },
};

describe('stageArgument', () => {
  it.each([
    [['-c', 'stage=prod'], 'prod'],
    [['--context', 'stage=dev'], 'dev'],
    [['-c=stage=prod'], 'prod'],
    [['--context=stage=prod'], 'prod'],
    [['-c', 'other=1', '-c', 'stage=prod'], 'prod'],
    [['-c', 'other=1'], undefined],
    [[], undefined],
  ])('%j → %s', (argv, stage) => {
    expect(stageArgument(argv)).toBe(stage);
  });
});

describe('predeploy check', () => {
  it('refuses the prod stage as committed, naming every placeholder', () => {
    const paths = predeployProblems(stages.prod).map((line) => line.split(' ')[0]);
    expect(paths.sort()).toEqual(
      [
        'alarmEmail',
        'mailFrom',
        'assistanceEmail',
        'publicOrigin',
        'nationalApis.cvec',
        'nationalApis.ines',
        'domain.names[0]',
        'domain.certificateArn',
        'apiDomain.name',
        'apiDomain.certificateArn',
        'env.account',
      ].sort(),
    );
  });

  it('lets a filled-in stage through', () => {
    expect(predeployProblems(filled)).toEqual([]);
  });

  it.each<[string, Partial<StageConfig>, RegExp]>([
    ['a URL under a reserved name', { nationalApis: { ...filled.nationalApis, ines: 'https://ines.test/api' } }, /^nationalApis\.ines \(https:\/\/ines\.test\/api\) is an example name/],
    ['an example address', { alarmEmail: 'ops@example.com' }, /^alarmEmail .* example name/],
    ['no account', { env: { region: 'eu-west-3' } }, /^env\.account \(unset\) is not set/],
    [
      'the documentation account in the certificate',
      { domain: { ...filled.domain, certificateArn: filled.domain.certificateArn.replace('210987654321', '123456789012') } },
      /^domain\.certificateArn .* example account id/,
    ],
    ['a certificate outside us-east-1', { domain: { ...filled.domain, certificateArn: filled.domain.certificateArn.replace('us-east-1', 'eu-west-3') } }, /certificateArn must be in us-east-1/],
    ['a public origin the distribution does not serve', { publicOrigin: 'https://inscrire.univ-provence.fr' }, /publicOrigin https:\/\/inscrire\.univ-provence\.fr is not served by the distribution/],
    ['a malformed account', { env: { account: '2109-8765', region: 'eu-west-3' } }, /env\.account must be a 12-digit AWS account id/],
  ])('refuses %s', (_what, change, message) => {
    const problems = predeployProblems({ ...filled, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('does not take a look-alike for a reserved name', () => {
    expect(predeployProblems({ ...filled, mailFrom: 'inscription@example.org.univ-provence.fr' })).toEqual([]);
    expect(predeployProblems({ ...filled, mailFrom: 'inscription@myexample.org' })).toEqual([]);
    expect(predeployProblems({ ...filled, alarmEmail: 'ops@test.univ-provence.fr' })).toEqual([]);
    expect(predeployProblems({ ...filled, alarmEmail: 'ops@univ.test' })).toHaveLength(1);
  });

  it('exits 1 with each problem, 2 without a stage, and 0 for a clean stage', () => {
    const lines: string[] = [];
    expect(
      main(
        ['-c', 'stage=prod'],
        (l) => lines.push(l),
        () => {},
      ),
    ).toBe(1);
    expect(lines[0]).toMatch(/^Stage prod cannot be deployed yet/);
    expect(lines.slice(1)).toHaveLength(predeployProblems(stages.prod).length);
    expect(
      main(
        [],
        () => {},
        () => {},
      ),
    ).toBe(2);
    expect(
      main(
        ['-c', 'stage=staging'],
        () => {},
        () => {},
      ),
    ).toBe(2);
  });

  it('runs as `npm run predeploy -- -c stage=prod` and fails the shell step', () => {
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/predeploy.ts', '-c', 'stage=prod'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('mailFrom (inscription@example.org)');
  });
});
