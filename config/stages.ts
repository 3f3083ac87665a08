/**
 * Stage configuration: the single place where what differs between stages lives, with
 * config/stage-runtime.ts, which holds the part the functions read themselves (the calendar,
 * the service-state cache) and is composed into each stage below. The CDK
 * app reads this file, the functions only that one, so the calendar the schedules are built from
 * is the calendar the handlers compute with, and no bundle carries a stage's deployment settings
 * (accounts, certificates, domains).
 */
import { isStageName, knownStage, type StageName, type StageRuntime, stageRuntimes } from './stage-runtime';

export type { Calendar, LocalMoment, StageName, StageRuntime, WindowDef } from './stage-runtime';
export { isStageName };

export interface StageConfig extends StageRuntime {
  stage: StageName;
  /**
   * Where the stage deploys. One AWS account per stage is the recommended setup: quotas (Lambda
   * concurrency, SES sending rate, API Gateway's account throttle) are per account and region,
   * so a stage sharing an account with another shares them. With `account` set, `cdk deploy`
   * refuses credentials of any other account; `npm run predeploy` refuses a stage without it.
   */
  env: { account?: string; region: string };
  /**
   * The names the CloudFront distribution serves, and their ACM certificate, which CloudFront
   * requires in us-east-1 whatever the stage's region. `publicOrigin` must be one of these names.
   */
  domain: { names: string[]; certificateArn: string };
  /** API Gateway default route throttling. */
  throttling: { rateLimit: number; burstLimit: number };
  /** Where CloudWatch alarms are sent (SNS e-mail subscription). */
  alarmEmail: string;
  /** Verified SES identity the service sends from. */
  mailFrom: string;
  /** The assistance mailbox that receives support requests (seed: deve-assistance@…). */
  assistanceEmail: string;
  /**
   * Mail queue: receives before a message goes to the dead-letter queue. A failed mail comes
   * back once per visibility timeout, so this count times that timeout is how long mail
   * survives an SES outage; the synth refuses less than an hour (lib/constructs/mailer.ts).
   */
  mailMaxReceiveCount: number;
  /**
   * The SES sending rate of the stage's account (mails per second, the SES quota once
   * raised). The mailer's event source is capped to it (lib/constructs/mailer.ts).
   */
  sesMaxSendRate: number;
  /**
   * Reserved concurrency by function id (functions/routes.ts): the function always has this
   * many instances available, whatever else runs in the account, and never more.
   */
  reservedConcurrency: Partial<Record<string, number>>;
  logRetentionDays: 7 | 30 | 90 | 365;
  /** Production keeps data when the stack is deleted and protects the table. */
  retainData: boolean;
  /** Public origin of the student pages (used for Stripe return URLs and mails). */
  publicOrigin: string;
  /**
   * Base URLs of the national services the wizard checks against (their API key is a secret).
   * Set them to the endpoints the ministry gives the university before the first campaign.
   */
  nationalApis: { cvec: string; ines: string };
  /**
   * The HTTP API's custom domain (its execute-api endpoint is disabled): CloudFront's `/api/*`
   * origin. A regional ACM certificate in the stack's region; point a DNS record (CNAME or
   * alias) of `name` at the `ApiDomainTarget` output. Placeholders until the university has them.
   */
  apiDomain: { name: string; certificateArn: string };
  /** Operator sign-in (Cognito): the hosted sign-in domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique per region. */
  operatorSignIn: { domainPrefix: string };
}

export const stages: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    ...stageRuntimes.dev,
    env: { region: 'eu-west-3' },
    domain: { names: ['inscrire-dev.example.org'], certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000' },
    throttling: { rateLimit: 50, burstLimit: 100 },
    alarmEmail: 'inscrire-dev-alerts@example.org',
    mailFrom: 'inscription-dev@example.org',
    assistanceEmail: 'assistance-dev@example.org',
    mailMaxReceiveCount: 25,
    // SES's production-access default; 1 while the account is in the sandbox.
    sesMaxSendRate: 14,
    reservedConcurrency: {},
    logRetentionDays: 30,
    retainData: false,
    publicOrigin: 'https://inscrire-dev.example.org',
    nationalApis: { cvec: 'https://cvec-api.preprod.example.org/api/v1', ines: 'https://ines-api.preprod.example.org/api/v1' },
    apiDomain: { name: 'api.inscrire-dev.example.org', certificateArn: 'arn:aws:acm:eu-west-3:000000000000:certificate/00000000-0000-0000-0000-000000000000' },
    operatorSignIn: { domainPrefix: 'inscrire-dev-example' },
  },
  prod: {
    stage: 'prod',
    ...stageRuntimes.prod,
    // Set `account` to the production account's id before the first deploy.
    env: { region: 'eu-west-3' },
    domain: { names: ['inscrire.example.org'], certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000' },
    // Window openings bring tens of thousands of students in bursts. The stage throttle was the
    // first limit this project controls to break at the opening minute; it is sized from
    // `npm run bench -- --only peak`, which says at how many arrivals a minute each limit breaks
    // (this throttle, the account's, Stripe's per-endpoint rate, which only Stripe can raise):
    // README, Performance, "The opening minute, on paper".
    throttling: { rateLimit: 2000, burstLimit: 4000 },
    alarmEmail: 'inscrire-alerts@example.org',
    mailFrom: 'inscription@example.org',
    assistanceEmail: 'deve-assistance@example.org',
    mailMaxReceiveCount: 25,
    // After the quota increase the README's runbook asks for (two mails per enrollment).
    sesMaxSendRate: 50,
    // Stripe's webhooks and the mails keep running when the students' requests use up the
    // account's concurrency; the mailer's must cover its event source's cap.
    reservedConcurrency: { PaymentWebhook: 20, Mailer: 5 },
    logRetentionDays: 365,
    retainData: true,
    publicOrigin: 'https://inscrire.example.org',
    nationalApis: { cvec: 'https://cvec-api.example.org/api/v1', ines: 'https://ines-api.example.org/api/v1' },
    apiDomain: { name: 'api.inscrire.example.org', certificateArn: 'arn:aws:acm:eu-west-3:000000000000:certificate/00000000-0000-0000-0000-000000000001' },
    operatorSignIn: { domainPrefix: 'inscrire-example' },
  },
};

export function stageConfig(stage: string | undefined): StageConfig {
  return stages[knownStage(stage)];
}
