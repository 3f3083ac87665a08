import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChargeEffect, CheckoutEventEffect, PaymentAnomaly, RefundEventEffect } from '../../domain/dossier';
import { ddb, isConditionFailure, gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import type { TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * The Stripe events the service acted on, one item per event id. It is written in the same
 * transaction as the change the event made, on condition that it is not there yet, so an
 * event changes things at most once however often and however concurrently Stripe delivers
 * it. Items expire after RETENTION_SECONDS, long after Stripe stops retrying (3 days), and the
 * domain rules make a later replay (an operator resending from the dashboard) change nothing either.
 * Anomalies are indexed (gsi1 `PAYMENT_ANOMALIES`, newest last) for the operators.
 */
const RETENTION_SECONDS = 90 * 24 * 3600;
export const PAYMENT_ANOMALIES = 'PAYMENT_ANOMALIES';

export const stripeEventKey = (eventId: string) => ({ pk: `${KEY_PREFIXES.stripeEvent}${eventId}`, sk: 'STRIPE_EVENT' });

export interface StripeEventRecord {
  eventId: string;
  type: string;
  dossierId: string;
  /** `recorded`: an instalment charge's outcome that only updated the ledger (an older attempt's). */
  effect: Exclude<CheckoutEventEffect | ChargeEffect | RefundEventEffect, 'none'> | 'recorded';
  anomaly?: PaymentAnomaly;
}

function toItem({ type: eventType, ...r }: StripeEventRecord, now: Date) {
  return {
    ...stripeEventKey(r.eventId),
    type: 'stripe_event',
    eventType,
    ...r,
    processedAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
    ...(r.anomaly ? { gsi1pk: PAYMENT_ANOMALIES, gsi1sk: `${r.anomaly.at}#${r.eventId}` } : {}),
  };
}

/** The event's record, for the transaction that applies it. */
export function stripeEventPut(r: StripeEventRecord, now: Date): TransactItem {
  return { Put: { TableName: tableName(), Item: toItem(r, now), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Records an event that changes no dossier. @returns false when it was recorded already. */
export async function putStripeEvent(r: StripeEventRecord, now: Date): Promise<boolean> {
  try {
    await ddb.send(new PutCommand({ TableName: tableName(), Item: toItem(r, now), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function isStripeEventRecorded(eventId: string): Promise<boolean> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: stripeEventKey(eventId), ConsistentRead: true, ProjectionExpression: 'pk' }));
  return out.Item !== undefined;
}

/**
 * A payment anomaly that comes from no Stripe event (a scholarship confirmed after a card
 * payment: the fees are owed back), indexed with the others, once per dossier and cause.
 */
export function paymentAnomalyPut(dossierId: string, anomaly: PaymentAnomaly, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: `${KEY_PREFIXES.paymentAnomaly}${anomaly.eventId}`,
        sk: 'PAYMENT_ANOMALY',
        type: 'payment_anomaly',
        dossierId,
        anomaly,
        processedAt: now.toISOString(),
        gsi1pk: PAYMENT_ANOMALIES,
        gsi1sk: `${anomaly.at}#${anomaly.eventId}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface ListedAnomaly {
  dossierId: string;
  anomaly: PaymentAnomaly;
  recordedAt: string;
}

/** Every payment anomaly, newest first, for the operators (refunds to make, payments to match). */
export async function listPaymentAnomalies(o: { limit: number; cursor?: string }): Promise<Page<ListedAnomaly>> {
  const page = await gsi1Page(PAYMENT_ANOMALIES, { limit: o.limit, cursor: o.cursor, newestFirst: true });
  return {
    items: (await itemsOf(page.items)).map((i) => ({ dossierId: i.dossierId as string, anomaly: i.anomaly as PaymentAnomaly, recordedAt: i.processedAt as string })),
    next: page.next,
  };
}
