/**
 * The single table's physical schema, shared by the CDK table construct and the local
 * runtime/tests that create the same table on DynamoDB Local. Item keys are owned by the
 * repository modules beside this file.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes expired items (login attempts, idempotency records). */
  ttlAttribute: 'ttl',
  globalSecondaryIndexes: [
    /** Operators' listings: dossiers by status, support requests by date. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;
