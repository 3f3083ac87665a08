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
