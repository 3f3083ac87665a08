/**
 * `npm run ops -- <commande>`: the operators' command line for the admin API (SPEC
 * "Operators"). Operators sign in once (`login`: authorization code + PKCE against the user
 * pool, Cognito on AWS, the local provider locally); automation uses a machine client; the
 * local runtime's admin token still works locally. Output in French for the scolarité staff;
 * `--json` prints the API's answers as they are.
 *
 * Exit codes: 0 done; 1 refused by the API (or some import lines rejected); 2 wrong usage;
 * 3 service unreachable or access denied.
 */
import type {
  AdminCorrectionsPage,
  AdminDossierView,
  CorrectionDecided,
  DossierView,
  ReissueAccepted,
  MailQueued,
  Page,
  SearchPage,
  ServiceUpdateView,
  ServiceView,
  SupportPage,
} from '../functions/shared/contracts';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { decodeJwt } from 'jose';
import { CLI_LOOPBACK_PORT } from '../config/sign-in';
import { MAX_IMPORT_LINES } from '../functions/domain/admission-import';
import { CORRECTION_FIELD_LABELS } from '../functions/domain/corrections';
import { DossierStatus } from '../functions/domain/dossier';
import { AdminApi, EXIT, OpsError } from './ops/client';
import { importFile, readParts } from './ops/import';
import { login, storeTokens } from './ops/oauth';
import * as render from './ops/render';

/** `words` joined by ", " on lines of at most `width` characters, each after `indent`. */
function wrapped(words: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + word.length + 2 <= width) lines[last] += `, ${word}`;
    else lines.push(word);
  }
  return lines.map((l, i) => `${indent}${l}${i < lines.length - 1 ? ',' : ''}`).join('\n');
}

const HELP = `Inscrire — commandes des opérateurs de scolarité

Usage : npm run ops -- <commande> [arguments] [options]

Connexion
  login [--port p]                     se connecter dans le navigateur (code d'autorisation +
                                       PKCE, redirection vers localhost:${CLI_LOOPBACK_PORT}) ; jetons gardés
                                       dans ~/.config/inscrire/tokens.json (0600) et renouvelés
  logout                               oublier les jetons de cette machine

Service
  status                               état du service, forçage, calendrier, dernières actions
  open   --reason "…"                  forcer l'ouverture (raison obligatoire, journalisée)
  close  --reason "…"                  forcer la fermeture
  calendar [--reason "…"]              revenir au calendrier

Admissions
  import <fichier.csv|.json>           importer des admissions, par lots (--batch, 1000 lignes) ;
                                       code de sortie 1 si des lignes sont rejetées

Dossiers (<dossier> : numéro de dossier, identifiant de connexion ou INE de l'étudiant)
  find [texte] [--status s]            chercher par identifiant, INE, nom (début de « nom prénoms »)
       [--year AAAA-AAAA] [--limit n]  ou numéro de dossier, et/ou par statut (plus bas)
       [--all | --cursor c]
  show <dossier>                       le dossier, son admission et son journal
  ine <dossier>                        attribuer un INE provisoire (dossier en brouillon)
  office-payment <dossier> --reference R [--scholarship]
                                       paiement reçu en scolarité (ou, avec --scholarship,
                                       bourse accordée par le CROUS) : le dossier est inscrit
  cancel <dossier> --reason "…"        annuler l'inscription
  resend <dossier>                     renvoyer le mail de synthèse
  reissue <dossier> --reason "…"       rééditer les certificats (nouveaux codes, anciens révoqués)
  Statuts (--status) :
${wrapped(DossierStatus.options, 80, '    ')}

Pièces justificatives et corrections
  document <dossier> <pièce> --accept  accepter une pièce (identity, photo, crous_notification…)
  document <dossier> <pièce> --reject --reason "…"
                                       refuser une pièce : l'étudiant(e) est prévenu(e) par mail
  corrections [--status pending|accepted|rejected] [--year AAAA-AAAA] [--all | --cursor c]
                                       demandes de correction d'état civil (en attente par défaut)
  correction <id> --accept | --reject --reason "…"
                                       décider d'une demande de correction

Assistance
  support [--year AAAA-AAAA] [--limit n] [--all | --cursor c]
                                       demandes d'assistance, les plus récentes d'abord

Options
  --url <adresse>      API (défaut : INSCRIRE_URL, sinon http://localhost:3000)
  --token <jeton>      jeton d'accès, ou jeton administrateur du service local (défaut :
                       INSCRIRE_ADMIN_TOKEN ; sinon la connexion (login) ; sinon, pour une
                       adresse locale, le jeton de .local/)
  --issuer <url>       émetteur OpenID Connect du groupe d'utilisateurs (défaut :
                       INSCRIRE_OIDC_ISSUER ; en local, celui du service)
  --client-id <id>     client de la console et de ops (défaut : INSCRIRE_OIDC_CLIENT_ID)
  Automatisation : INSCRIRE_CLIENT_ID et INSCRIRE_CLIENT_SECRET (client machine, flux
                       client credentials ; INSCRIRE_CLIENT_SCOPE pour restreindre les rôles)
  --json               afficher les réponses de l'API en JSON
  -h, --help           cette aide

Codes de sortie : 0 fait · 1 refusé par l'API · 2 usage incorrect · 3 service injoignable ou accès refusé`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reason: { type: 'string' },
  reference: { type: 'string' },
  scholarship: { type: 'boolean' },
  status: { type: 'string' },
  year: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  batch: { type: 'string' },
  accept: { type: 'boolean' },
  reject: { type: 'boolean' },
} as const;

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Opens the sign-in page. @default prints it, and opens the browser on a terminal */
  openUrl?(url: string): void;
}

/** The system's browser opener; failing silently (the address is printed anyway). */
function openBrowser(url: string) {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    // No opener: the printed address is enough.
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const usage = (message: string) => new OpsError(`${message}\nVoir : npm run ops -- --help`, EXIT.usage);
const DOSSIER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw usage(`--${name} attend un nombre entier entre 1 et ${max}.`);
  return n;
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  return q.size ? `?${q}` : '';
}

/** The dossier an argument names: its id, or the login identifier of its student. */
async function dossierId(api: AdminApi, arg: string | undefined, v: Values): Promise<string> {
  if (!arg) throw usage('Indiquez le dossier : son numéro, l’identifiant ou l’INE de l’étudiant.');
  if (DOSSIER_ID.test(arg)) return arg.toLowerCase();
  const { body } = await api.request<SearchPage>('GET', `/api/admin/dossiers${query({ q: arg, year: v.year })}`);
  const found = body.items.filter((i) => i.id);
  if (found.length === 1) return found[0]!.id!;
  if (body.items.length === 1) throw new OpsError(`${arg} : admission trouvée, mais l’étudiant ne s’est jamais connecté (pas encore de dossier).`, EXIT.refused);
  throw new OpsError(
    found.length === 0 ? `Aucun dossier pour « ${arg} ».` : `« ${arg} » désigne ${found.length} dossiers : précisez avec le numéro de dossier (npm run ops -- find ${arg}).`,
    EXIT.refused,
  );
}

/** All pages with `--all`, else one (and how to get the next). */
async function pages<P extends Page<unknown>>(api: AdminApi, path: string, params: Record<string, string | undefined>, all: boolean): Promise<P> {
  const items: P['items'] = [];
  let cursor = params.cursor;
  let last: P;
  do {
    ({ body: last } = await api.request<P>('GET', `${path}${query({ ...params, cursor })}`));
    items.push(...last.items);
    cursor = last.next ?? undefined;
  } while (all && cursor);
  return { ...last, items, next: all ? null : last.next };
}

function progressBar(io: Io) {
  const tty = io.stderr.isTTY === true;
  return (done: number, total: number, s: { imported: number; updated: number; rejected: unknown[] }) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const text = `Import [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} lignes · ${s.imported} importées · ${s.updated} mises à jour · ${s.rejected.length} rejetées`;
    io.stderr.write(tty ? `\r${text}${done === total ? '\n' : ''}` : `${text}\n`);
  };
}

async function execute(command: string, args: string[], v: Values, io: Io): Promise<number> {
  const out = (s: string) => io.stdout.write(`${s}\n`);
  const print = (json: unknown, human: () => string) => out(v.json ? JSON.stringify(json, null, 2) : human());
  const api = AdminApi.connect({ url: v.url, token: v.token, issuer: v.issuer, clientId: v['client-id'], env: io.env });
  const reason = v.reason ?? (args.length ? args.join(' ') : undefined);

  switch (command) {
    case 'login': {
      const settings = await api.signInSettings();
      if (!settings) throw usage('Indiquez où se connecter : --issuer et --client-id (ou INSCRIRE_OIDC_ISSUER et INSCRIRE_OIDC_CLIENT_ID, sorties de la pile).');
      const port = v.port === undefined ? Number(io.env.INSCRIRE_LOGIN_PORT ?? CLI_LOOPBACK_PORT) : Number(v.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage('--port attend un numéro de port TCP.');
      const open = (url: string) => {
        io.stderr.write(`Connectez-vous dans le navigateur : ${url}\n`);
        if (io.openUrl) io.openUrl(url);
        else if (io.stderr.isTTY) openBrowser(url);
      };
      let tokens: Awaited<ReturnType<typeof login>>;
      try {
        tokens = await login({ issuer: settings.issuer, clientId: settings.clientId, port, open });
      } catch (err) {
        throw new OpsError(`Connexion impossible : ${(err as Error).message}.`, EXIT.unreachable);
      }
      const file = storeTokens(io.env, settings.issuer, settings.clientId, tokens);
      const claims = decodeJwt(tokens.accessToken);
      const who = String(claims.username ?? claims['cognito:username'] ?? claims.sub);
      const groups = ([] as unknown[]).concat(claims['cognito:groups'] ?? []).join(', ') || 'aucun';
      print(
        { username: who, groups: claims['cognito:groups'] ?? [], expiresAt: new Date(tokens.expiresAt * 1000).toISOString(), cache: file },
        () => `Connecté(e) : ${who} (rôles : ${groups}). Jetons gardés dans ${file}.`,
      );
      return EXIT.ok;
    }
    case 'logout': {
      const settings = await api.signInSettings();
      if (!settings) throw usage('Indiquez --issuer et --client-id (ou INSCRIRE_OIDC_ISSUER et INSCRIRE_OIDC_CLIENT_ID).');
      storeTokens(io.env, settings.issuer, settings.clientId, undefined);
      print({ loggedOut: true }, () => 'Déconnecté(e) : jetons oubliés sur cette machine.');
      return EXIT.ok;
    }
    case 'status': {
      const { body } = await api.request<ServiceView>('GET', '/api/admin/service');
      print(body, () => render.serviceStatus(body));
      return EXIT.ok;
    }
    case 'open':
    case 'close':
    case 'calendar': {
      const mode = command === 'close' ? 'closed' : command;
      if (mode !== 'calendar' && !reason) throw usage(`Indiquez la raison : npm run ops -- ${command} --reason "…" (elle est journalisée).`);
      const body = { mode, reason: reason ?? 'Retour au calendrier' };
      const res = await api.request<ServiceUpdateView>('PUT', '/api/admin/service', { contentType: 'application/json', data: JSON.stringify(body) });
      print(res.body, () => `Service ${res.body.open ? 'OUVERT' : 'FERMÉ'} (${mode === 'calendar' ? 'selon le calendrier' : `forcé : « ${body.reason} »`}).`);
      return EXIT.ok;
    }
    case 'import': {
      const file = args[0];
      if (!file || args.length > 1) throw usage('Indiquez un seul fichier : npm run ops -- import admissions.csv');
      // `npm run` works from the package root; INIT_CWD is where the operator typed the command.
      const parts = readParts(resolve(io.env.INIT_CWD ?? process.cwd(), file), positiveInt(v.batch, 'batch', 1000, MAX_IMPORT_LINES));
      const summary = await importFile(api, parts, v.json ? () => undefined : progressBar(io));
      print(summary, () => {
        const lines = [
          `${summary.lines} ligne(s) : ${summary.imported} importée(s), ${summary.updated} mise(s) à jour (dont ${summary.unchanged} inchangée(s)), ${summary.rejected.length} rejetée(s).`,
        ];
        if (summary.ignoredColumns.length) lines.push(`Colonnes ignorées : ${summary.ignoredColumns.join(', ')}.`);
        if (summary.rejected.length) {
          lines.push('', 'Lignes rejetées :', ...summary.rejected.slice(0, 50).map(render.rejection));
          if (summary.rejected.length > 50) lines.push(`  … et ${summary.rejected.length - 50} autre(s) (--json pour toutes les voir).`);
        }
        return lines.join('\n');
      });
      return summary.rejected.length ? EXIT.refused : EXIT.ok;
    }
    case 'find': {
      const q = args.length ? args.join(' ') : undefined;
      if (!q && !v.status) throw usage('Indiquez un texte à chercher (identifiant, INE, nom, numéro de dossier) ou --status.');
      const limit = String(positiveInt(v.limit, 'limit', 20, 100));
      const page = await pages<SearchPage>(api, '/api/admin/dossiers', { q, status: v.status, year: v.year, limit, cursor: v.cursor }, v.all === true);
      print(page, () => `${render.dossierList(page.items)}${page.next ? `\n\nSuite : npm run ops -- find … --cursor ${page.next}` : ''}`);
      return EXIT.ok;
    }
    case 'show': {
      const id = await dossierId(api, args[0], v);
      const { body } = await api.request<AdminDossierView>('GET', `/api/admin/dossiers/${id}`);
      print(body, () => render.dossier(body));
      return EXIT.ok;
    }
    case 'ine': {
      const id = await dossierId(api, args[0], v);
      const { body } = await api.request<DossierView>('POST', `/api/admin/dossiers/${id}/provisional-ine`);
      print(body, () => `INE provisoire du dossier ${id} : ${body.steps.ine.ine}.`);
      return EXIT.ok;
    }
    case 'office-payment': {
      if (!v.reference) throw usage('Indiquez la référence : --reference <numéro de quittance, ou de la notification de bourse>.');
      const id = await dossierId(api, args[0], v);
      const data = JSON.stringify({ reference: v.reference, kind: v.scholarship ? 'scholarship_granted' : 'paid' });
      const { body } = await api.request<DossierView>('POST', `/api/admin/dossiers/${id}/office-payment`, { contentType: 'application/json', data });
      print(
        body,
        () => `Dossier ${id} : ${render.status(body.status)} (${v.scholarship ? 'bourse accordée' : 'paiement en scolarité'}, réf. ${v.reference}). Le mail de synthèse part à l’étudiant(e).`,
      );
      return EXIT.ok;
    }
    case 'cancel': {
      const [target, ...rest] = args;
      const why = v.reason ?? (rest.length ? rest.join(' ') : undefined);
      if (!why) throw usage('Indiquez la raison de l’annulation : --reason "…".');
      const id = await dossierId(api, target, v);
      const { body } = await api.request<DossierView>('POST', `/api/admin/dossiers/${id}/cancel`, { contentType: 'application/json', data: JSON.stringify({ reason: why }) });
      print(body, () => `Dossier ${id} annulé : « ${why} ».`);
      return EXIT.ok;
    }
    case 'resend': {
      const id = await dossierId(api, args[0], v);
      const { body } = await api.request<MailQueued>('POST', `/api/admin/dossiers/${id}/resend-mail`);
      print(body, () => `Mail de synthèse du dossier ${id} renvoyé (${body.jobId}).`);
      return EXIT.ok;
    }
    case 'reissue': {
      const [target, ...rest] = args;
      const why = v.reason ?? (rest.length ? rest.join(' ') : undefined);
      if (!why) throw usage('Indiquez la raison de la réédition : --reason "…".');
      const id = await dossierId(api, target, v);
      const { body } = await api.request<ReissueAccepted>('POST', `/api/admin/dossiers/${id}/certificates/reissue`, { contentType: 'application/json', data: JSON.stringify({ reason: why }) });
      print(body, () => `Certificats du dossier ${id} en cours de réédition (${body.eventId}) : les anciens codes seront révoqués.`);
      return EXIT.ok;
    }
    case 'document': {
      const [target, kind] = args;
      if (!kind || v.accept === v.reject) throw usage('Usage : document <dossier> <pièce> --accept | --reject --reason "…".');
      const id = await dossierId(api, target, v);
      const data = JSON.stringify({ decision: v.accept ? 'accept' : 'reject', ...(v.reason ? { reason: v.reason } : {}) });
      const { body } = await api.request<DossierView>('POST', `/api/admin/dossiers/${id}/documents/${encodeURIComponent(kind)}/review`, { contentType: 'application/json', data });
      print(body, () => `Dossier ${id}, pièce ${kind} : ${v.accept ? 'acceptée' : `refusée (« ${v.reason} »), l’étudiant(e) est prévenu(e)`}.`);
      return EXIT.ok;
    }
    case 'corrections': {
      const page = await pages<AdminCorrectionsPage>(api, '/api/admin/corrections', { status: v.status ?? 'pending', year: v.year, cursor: v.cursor }, v.all === true);
      print(page, () =>
        page.items.length === 0
          ? 'Aucune demande de correction.'
          : page.items
              .map((c) => `${c.id}  ${c.identifier}  ${CORRECTION_FIELD_LABELS[c.field].fr} : « ${c.currentValue ?? '–'} » → « ${c.proposedValue} » (${c.status})\n    ${c.message}`)
              .join('\n'),
      );
      return EXIT.ok;
    }
    case 'correction': {
      const [cid] = args;
      if (!cid || v.accept === v.reject) throw usage('Usage : correction <id> --accept | --reject --reason "…".');
      const data = JSON.stringify({ decision: v.accept ? 'accept' : 'reject', ...(v.reason ? { reason: v.reason } : {}) });
      const { body } = await api.request<CorrectionDecided>('POST', `/api/admin/corrections/${encodeURIComponent(cid)}`, { contentType: 'application/json', data });
      print(body, () => `Demande ${cid} : ${body.status === 'accepted' ? 'acceptée, le dossier et l’admission sont corrigés' : 'refusée'} ; l’étudiant(e) est prévenu(e).`);
      return EXIT.ok;
    }
    case 'support': {
      const limit = String(positiveInt(v.limit, 'limit', 50, 100));
      const page = await pages<SupportPage>(api, '/api/admin/support-requests', { year: v.year, limit, cursor: v.cursor }, v.all === true);
      print(page, () => `${render.supportList(page.items)}${page.next ? `\n\nSuite : npm run ops -- support --cursor ${page.next}` : ''}`);
      return EXIT.ok;
    }
    default:
      throw usage(`Commande inconnue : ${command}.`);
  }
}

/** Runs one command; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\nVoir : npm run ops -- --help\n`);
    return EXIT.usage;
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || !command) {
    (parsed.values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
    return parsed.values.help ? EXIT.ok : EXIT.usage;
  }
  try {
    return await execute(command, args, parsed.values, io);
  } catch (err) {
    if (!(err instanceof OpsError)) throw err;
    if (parsed.values.json && err.body) io.stdout.write(`${JSON.stringify(err.body, null, 2)}\n`);
    io.stderr.write(`Erreur : ${err.message}\n`);
    return err.exitCode;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
