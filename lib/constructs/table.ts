/**
 * The service's single DynamoDB table, built from the physical schema the functions and the
 * local runtime share (`functions/adapters/dynamo/table-schema.ts`).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableSchema } from '../../functions/adapters/dynamo/table-schema';

export interface ServiceTableProps {
  /**
   * Keep the data: deletion protection on, and the table retained when the stack is deleted
   * or the resource replaced. Off, the table is destroyed with the stack (development stages).
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * The table's change stream, for jobs triggered by it (see `TableStreamConsumer`).
   * @default - no stream
   */
  readonly stream?: StreamViewType;
}

/**
 * On-demand (enrollment traffic comes in bursts at each window's opening), point-in-time
 * recovery, TTL for expiring items (login attempts, idempotency records), encrypted with the
 * AWS managed key. Every key attribute is a string: the repositories build them as
 * `TYPE#id` strings.
 */
export class ServiceTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ServiceTableProps = {}) {
    super(scope, id);
    const retainData = props.retainData ?? false;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableSchema.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      stream: props.stream,
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    for (const index of tableSchema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      });
    }
  }
}
