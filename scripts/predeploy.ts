/**
 * `npm run predeploy -- -c stage=<stage>`: refuses to let a stage go to AWS while its config
 * (config/stages.ts) still holds placeholders — example addresses and URLs, the example
 * certificate, no account — or inconsistent values. The README's deploy steps run it before
 * `cdk deploy`. Offline: it reads the config only, exactly what the synth reads.
 *
 * Exit code 0 when the stage may be deployed, 1 when it may not (each problem on stderr),
 * 2 on a usage error.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configErrors, placeholders, stageConfig, STAGE_CONTEXT_KEY, type StageConfig } from '../lib/config';
import { isStageName } from '../config/stages';

/**
 * The stage named the way the CDK CLI takes it: `-c stage=prod`, `--context stage=prod`,
 * `-c=stage=prod` or `--context=stage=prod`.
 *
 * @returns the value, or undefined when no stage context is given.
 */
export function stageArgument(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let pair: string | undefined;
    if (arg === '-c' || arg === '--context') pair = argv[++i];
    else if (arg.startsWith('-c=') || arg.startsWith('--context=')) pair = arg.slice(arg.indexOf('=') + 1);
    if (pair?.startsWith(`${STAGE_CONTEXT_KEY}=`)) found = pair.slice(STAGE_CONTEXT_KEY.length + 1);
  }
  return found;
}

/** Why `config` may not be deployed, one line each; empty when it may. */
export function predeployProblems(config: StageConfig): string[] {
  return [...configErrors(config), ...placeholders(config).map((p) => `${p.path} (${p.value ?? 'unset'}) is ${p.reason}`)];
}

export function main(argv: readonly string[], err: (line: string) => void = console.error, out: (line: string) => void = console.log): number {
  const stage = stageArgument(argv);
  if (!isStageName(stage)) {
    err(`Usage: npm run predeploy -- -c ${STAGE_CONTEXT_KEY}=<dev|prod>${stage === undefined ? '' : ` (unknown stage ${JSON.stringify(stage)})`}`);
    return 2;
  }
  const problems = predeployProblems(stageConfig(stage));
  if (problems.length > 0) {
    err(`Stage ${stage} cannot be deployed yet: set these in config/stages.ts (README, "Deploying"):`);
    for (const problem of problems) err(`  - ${problem}`);
    return 1;
  }
  out(`Stage ${stage}: no placeholder left in config/stages.ts; go on with npx cdk deploy -c ${STAGE_CONTEXT_KEY}=${stage}.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
