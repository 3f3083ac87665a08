/**
 * What the mailer logs when a mail could not be sent (and will be retried, or dead-lettered
 * after its last receive). The stack counts these lines with a metric filter and alarms on
 * them (lib/constructs/mailer.ts): the mailer reports partial batch failures, so Lambda's
 * `Errors` metric stays at 0 while SES refuses every mail. Pure data, shared by both.
 */
export const MAIL_NOT_SENT = 'Mail not sent';

/**
 * How long the mailer remembers a sent job id: longer than a message can live in the mail queue
 * or its dead-letter queue (their retention periods, lib/constructs/mailer.ts; checked by
 * test/infra/day-one.test.ts), so even a redrive of an old message is recognised.
 */
export const SENT_JOB_MEMORY_SECONDS = 30 * 24 * 3600;
