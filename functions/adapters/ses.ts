import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailJob } from '../domain/mail-job';
import { ENV, requireEnv } from '../shared/env';

/** SES v2; locally `AWS_ENDPOINT_URL_SESV2` points at the mail capture server. */
const ses = new SESv2Client({});

export async function sendMail(job: MailJob): Promise<string | undefined> {
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: requireEnv(ENV.mailFrom),
      Destination: { ToAddresses: job.to },
      ReplyToAddresses: job.replyTo ? [job.replyTo] : undefined,
      Content: {
        Simple: {
          Subject: { Data: job.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: job.text, Charset: 'UTF-8' },
            ...(job.html ? { Html: { Data: job.html, Charset: 'UTF-8' } } : {}),
          },
        },
      },
    }),
  );
  return out.MessageId;
}
