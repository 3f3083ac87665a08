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

/**
 * The mailbox an address delivers to, for the per-mailbox limit on acknowledgements: case
 * folded and sub-address (`+tag`) dropped, so `Zoe+1@example.org` and `zoe@example.org`
 * (both delivered to one person) share the limit.
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).split('+')[0]!;
  return `${local}@${email.slice(at + 1)}`.toLowerCase();
}
