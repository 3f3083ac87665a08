/**
 * The test file's own local S3 (s3rver behind the policy-enforcing proxy, in this worker), so
 * that its object-created events reach the check job in the same process, as the local runtime
 * delivers them. Started by per-file-setup.ts; events are delivered to the check handler
 * unless a test holds them (`hold()`) to deliver them itself, in any order.
 */
import type { Context } from 'aws-lambda';
import type { S3Event } from '../../scripts/local/s3-policy-proxy';

export const s3Events: { seen: S3Event[]; held: S3Event[] | undefined; pending: Set<Promise<unknown>> } = { seen: [], held: undefined, pending: new Set() };

/** Keeps the next events for the test to deliver. */
export function hold(): S3Event[] {
  s3Events.held = [];
  return s3Events.held;
}

export function release(): void {
  s3Events.held = undefined;
}

/** Runs the check job on `event`, as S3's invocation does (with a Lambda `context` when given). */
export async function deliver(event: S3Event, context?: Context): Promise<void> {
  const { handler } = await import('../../functions/events/document-check');
  await handler(event as never, context);
}

export function onObjectCreated(event: S3Event): void {
  s3Events.seen.push(event);
  if (s3Events.held) {
    s3Events.held.push(event);
    return;
  }
  const p = deliver(event).catch(() => undefined);
  s3Events.pending.add(p);
  void p.finally(() => s3Events.pending.delete(p));
}

export const noContext = {} as Context;
