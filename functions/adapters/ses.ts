import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ENV, optionalEnv, requireEnv } from '../shared/env';
import { traced } from '../shared/tracing';

/** SES v2; locally `AWS_ENDPOINT_URL_SESV2` points at the mail capture server. */
const ses = traced(new SESv2Client({}));

/** A mail ready to send: the templates' output. */
export interface RenderedMail {
  to: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Sent as the `X-Inscrire-Job-Id` header, so a delivered (or bounced) mail leads back to its job. */
  jobId?: string;
}

export async function sendMail(job: RenderedMail): Promise<string | undefined> {
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: requireEnv(ENV.mailFrom),
      // On AWS, where bounces and complaints are counted; none locally.
      ConfigurationSetName: optionalEnv(ENV.mailConfigurationSet),
      Destination: { ToAddresses: job.to },
      ReplyToAddresses: job.replyTo ? [job.replyTo] : undefined,
      Content: {
        Simple: {
          Subject: { Data: job.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: job.text, Charset: 'UTF-8' },
            Html: { Data: job.html, Charset: 'UTF-8' },
          },
          Headers: job.jobId ? [{ Name: 'X-Inscrire-Job-Id', Value: job.jobId }] : undefined,
        },
      },
    }),
  );
  return out.MessageId;
}
