import * as z from 'zod/mini';
import { MAX_CURSOR_CHARS } from '../adapters/dynamo/cursor';

/**
 * The `limit` and `cursor` query parameters of the operators' paged lists, spread into a
 * route's query schema: 1 to 100 items a page, `defaultLimit` when none is asked; a cursor no
 * longer than the adapters take back (../adapters/dynamo/cursor.ts checks the rest of it).
 */
export const pageQuery = (defaultLimit: number) => ({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), defaultLimit),
  cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_CHARS))),
});
