/**
 * `npm start`: the whole service on this machine. Reads PORT (default 3000),
 * INSCRIRE_ADMIN_TOKEN (generated and printed otherwise) and STRIPE_WEBHOOK_SECRET.
 * Data lives in .local/ (git-ignored; INSCRIRE_DATA_DIR moves it) and survives restarts;
 * Ctrl-C stops everything.
 */
import { join } from 'node:path';
import { repoRoot, startLocal } from '../scripts/local/runtime';

// The AWS SDK warns once that its 2027 releases will need Node 22: true, known (the Lambdas run
// on Node 22), and noise in a newcomer's terminal. Every other warning is still printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.startsWith('NodeVersionSupportWarning')) console.warn(`${warning.name}: ${warning.message}`);
});

const t0 = Date.now();
const verbose = process.env.INSCRIRE_VERBOSE === '1';
const portEnv = process.env.PORT;
const port = portEnv === undefined || portEnv === '' ? 3000 : Number(portEnv);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a TCP port number (got "${portEnv}")`);
  process.exit(2);
}

const runtime = await startLocal({
  port,
  dataDir: process.env.INSCRIRE_DATA_DIR || join(repoRoot, '.local'),
  adminToken: process.env.INSCRIRE_ADMIN_TOKEN || undefined,
  log: (line) => {
    if (verbose || line.startsWith('!')) console.log(line);
  },
}).catch((err: Error) => {
  console.error(`Could not start the local runtime: ${err.message}`);
  process.exit(1);
});

const lines = [
  '',
  `Inscrire is running locally (started in ${((Date.now() - t0) / 1000).toFixed(1)} s).`,
  '',
  `  Student pages      ${runtime.url}/`,
  `  API status         ${runtime.url}/api/status`,
  `  Captured mail      ${runtime.url}/dev/mail`,
  '  Card payments      local Stripe stand-in: "pay" opens /dev/checkout/<session>; nothing is charged',
  '',
  ...(runtime.requeuedMail > 0 ? [`  Mail               ${runtime.requeuedMail} mail job(s) queued before the last stop but never sent: queued again`, ''] : []),
  ...(runtime.demoOverride ? ['  Service            forced open for the demo (outside the enrollment windows); `npm run ops -- calendar` returns to the calendar', ''] : []),
  `  Admin token        ${runtime.adminToken}${runtime.adminTokenGenerated ? '   (generated; set INSCRIRE_ADMIN_TOKEN to choose one)' : ''}`,
  `  Operator CLI       npm run ops -- login${runtime.port === 3000 ? '' : ` --url ${runtime.url}`}, then npm run ops -- status   (without login: the admin token from .local/; npm run ops -- --help)`,
  '',
  `  Operator sign-in   local OpenID Connect provider ${runtime.oidc.issuer} (plays Cognito); console client ${runtime.oidc.consoleClientId}`,
  `                     machine client ${runtime.oidc.machineClient.id} / ${runtime.oidc.machineClient.secret}   (INSCRIRE_CLIENT_ID / INSCRIRE_CLIENT_SECRET)`,
  '  Demo operators (username / password):',
  ...runtime.oidc.accounts.map((a) => `    ${a.username.padEnd(14)} ${a.password.padEnd(18)} ${a.who}`),
  '',
  '  Demo admissions (identifier / birth date):',
  ...runtime.demoStudents.map((d) => `    ${d.login.padEnd(14)} ${d.birthDate}   ${d.who}\n${' '.repeat(33)}${d.hints}`),
  '',
  `  Emulators          DynamoDB Local ${runtime.endpoints.dynamodb} · SQS ${runtime.endpoints.sqs} · SES ${runtime.endpoints.ses}`,
  '  Data               .local/ (delete it to start afresh)',
  '',
  'Ctrl-C stops everything. INSCRIRE_VERBOSE=1 logs every request.',
  '',
];
console.log(lines.join('\n'));

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
