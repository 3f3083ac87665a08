import type { MailLang } from './mail-job';
import type { SupportBody } from './schemas';

/**
 * A support request (SPEC "Help and support"), as stored for the operators and forwarded to
 * the assistance mailbox: what the student wrote, when, for which campaign, in which language.
 */
export interface SupportRequest extends SupportBody {
  id: string;
  academicYear: string;
  /** ISO 8601 instant. */
  receivedAt: string;
  /** The language the student wrote in (`Accept-Language`): the acknowledgement uses it. */
  lang: MailLang;
}

/** Providers that ignore dots in the local part and share one mailbox across their domains. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to, for the per-mailbox limit on acknowledgements: case
 * folded and sub-address (`+tag`) dropped, so `Zoe+1@example.org` and `zoe@example.org` share
 * the limit; at Gmail, dots are ignored too and `googlemail.com` is `gmail.com`
 * (`j.doe+x@googlemail.com` is `jdoe@gmail.com`).
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at).split('+')[0]!.toLowerCase();
  let domain = email
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
