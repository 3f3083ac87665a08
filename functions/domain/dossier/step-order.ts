/**
 * The wizard's steps, in order. Free of zod so the web pages import it without bundling the
 * dossier's models.
 */
export const STEP_ORDER = ['identity', 'ine', 'situation', 'cvec', 'programme'] as const;
export type StepName = (typeof STEP_ORDER)[number];
