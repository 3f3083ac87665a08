/**
 * The supporting documents' bucket (SPEC "Supporting documents"): private (all public access
 * blocked, objects owned by the bucket owner), encrypted at rest (S3-managed keys), TLS only,
 * versioned (an upload replacing a file keeps the previous version for `noncurrentDays`, so a
 * racing or mistaken upload loses nothing meanwhile), CORS limited to the public origin (the
 * browser's presigned POST and the download redirects), server access logs, and a lifecycle
 * rule deleting every file after the retention period.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { withdrawalRules } from '../../config/catalogue';
import { CAMPAIGN_TURNS_MONTH } from '../../functions/domain/windows';
import { acknowledge } from '../nag';

/** The prefix every document key starts with (functions/domain/documents.ts `objectKey`). */
export const DOCUMENTS_PREFIX = 'documents/';

export interface DocumentsBucketProps {
  /** The student pages' origin, the only one CORS lets upload and download. */
  readonly publicOrigin: string;
  /** Days after which a file is deleted (see `documentsExpirationDays`). */
  readonly expirationDays: number;
  /**
   * Days a replaced version is kept.
   * @default 30
   */
  readonly noncurrentDays?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days the server access logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/**
 * Months from the earliest upload for an academic year (the first day of its campaign's turn,
 * functions/domain/windows.ts) to the year's end (the first day of the next year's start month,
 * config/catalogue.ts): the rest of the first calendar year, then the next one until that month.
 */
const UPLOAD_TO_YEAR_END_MONTHS = 12 - CAMPAIGN_TURNS_MONTH + withdrawalRules.academicYearStart.month;

/**
 * Days to keep a file so that it outlives the retention period: the catalogue counts
 * `retentionMonthsAfterYear` months from the end of the academic year, and a file may be
 * uploaded as early as the campaign's turn before the year starts.
 */
export function documentsExpirationDays(retentionMonthsAfterYear: number): number {
  return Math.ceil((UPLOAD_TO_YEAR_END_MONTHS + retentionMonthsAfterYear) * 30.44);
}

export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);
    if (!/^https?:\/\/[^/]+$/.test(props.publicOrigin)) throw new Error(`${this.node.path}: publicOrigin must be an origin without path (got ${props.publicOrigin})`);
    if (!Number.isInteger(props.expirationDays) || props.expirationDays < 1) throw new Error(`${this.node.path}: expirationDays must be a positive whole number`);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;

    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays ?? 90) }],
      removalPolicy,
      autoDeleteObjects,
    });

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-documents/',
      cors: [{ allowedOrigins: [props.publicOrigin], allowedMethods: [HttpMethods.POST, HttpMethods.GET], allowedHeaders: ['*'], exposedHeaders: ['ETag'], maxAge: 3600 }],
      lifecycleRules: [
        {
          id: 'retention',
          expiration: Duration.days(props.expirationDays),
          noncurrentVersionExpiration: Duration.days(props.noncurrentDays ?? 30),
          expiredObjectDeleteMarker: false,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Delete markers left once every version has expired.
        { id: 'delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
  }

  /** Invokes `fn` for every object created under the documents prefix. */
  notifyUploads(fn: IFunction): void {
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { prefix: DOCUMENTS_PREFIX });
    // CDK's own handler (one per stack) that writes the bucket's notification configuration at deployment.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (handler) {
      acknowledge(
        handler,
        'IAM4',
        "CDK's BucketNotificationsHandler sets the documents bucket's event notifications at deployment; this AWS managed policy only lets it write its own CloudWatch logs.",
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      );
    }
  }
}
