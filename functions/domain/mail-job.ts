import { z } from 'zod';

/**
 * A mail job: what every producer puts on the mail queue and the mailer consumes. One schema,
 * imported by both sides. `jobId` is the deduplication key: a job is sent at most once.
 */
export const MailJob = z.object({
  jobId: z.string().min(1).max(200),
  to: z.array(z.email()).min(1).max(10),
  replyTo: z.email().optional(),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  html: z.string().max(200_000).optional(),
});
export type MailJob = z.infer<typeof MailJob>;
