/**
 * Stands in, in the browser bundle only, for zod's JSON Schema generator (its modules
 * core/to-json-schema.js and core/json-schema-processors.js, ~16 KB minified): every zod type
 * references it for `.toJSONSchema()`, which the pages never call. scripts/build-web.ts
 * redirects those two modules here; these are the names zod imports from them, so a zod
 * upgrade that changes them fails the build instead of passing silently. Calling any of them
 * throws.
 */
function unavailable(): never {
  throw new Error('JSON Schema generation is not part of the student pages bundle');
}

export const toJSONSchema = unavailable;
export const createToJSONSchemaMethod = () => unavailable;
export const createStandardJSONSchemaMethod = () => unavailable;
export const allProcessors = {};
export const extractDefs = unavailable;
export const finalize = unavailable;
export const initializeContext = unavailable;
export const processSchema = unavailable;
