/**
 * AWS list prices the benchmark turns usage into money with (`npm run bench`, part 3).
 *
 * Region eu-west-3 (Paris), US dollars, on-demand list prices without free tiers, discounts or
 * taxes. NOT VERIFIED: recalled from AWS's public price pages as they stood around June 2025
 * (after DynamoDB's November 2024 on-demand price cut), not re-read since. Check each figure
 * on https://aws.amazon.com/pricing/ (and its per-service calculators) before quoting a cost,
 * then update `asOf` and set `verified`.
 */
export const prices = {
  region: 'eu-west-3',
  currency: 'USD',
  /** When the figures below were taken from the price pages. */
  asOf: '2025-06',
  /** Whether someone has checked them against the live price pages since. */
  verified: false,
  dynamodb: {
    /** On-demand write request units (1 per KB written; 2 in a transaction). */
    perMillionWriteRequestUnits: 0.7423,
    /** On-demand read request units (1 per 4 KB strongly consistent; 2 in a transaction). */
    perMillionReadRequestUnits: 0.1484,
  },
  lambda: {
    /** Arm64 (Graviton) compute, first pricing tier. */
    perGbSecondArm: 0.0000133334,
    perMillionRequests: 0.2,
  },
  apiGatewayHttp: {
    /** HTTP APIs, first 300 million requests a month. */
    perMillionRequests: 1.17,
  },
  sqs: {
    /** Standard queues; each 64 KB chunk of a request counts as one request. */
    perMillionRequests: 0.4,
  },
  ses: {
    /** Outbound e-mail (attachments' data transfer extra). */
    perThousandEmails: 0.1,
  },
  secretsManager: {
    perTenThousandApiCalls: 0.05,
  },
} as const;

export type Prices = typeof prices;
