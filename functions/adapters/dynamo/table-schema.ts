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
    /**
     * Operators' listings: dossiers by status, admissions by name, support requests by date.
     * Keys only: an item's index entry is rewritten only when its index keys change, not at
     * every wizard step (which would also pile every draft's writes on one index partition).
     * Listings read the items themselves with BatchGetItem.
     */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
  ],
} as const;
