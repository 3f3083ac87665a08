/**
 * The student session tokens' issuer and audience: functions/shared/tokens.ts signs and checks
 * them, the edge refusal (student-token-refusal.ts) recognises them. Kept apart so that the
 * functions load neither the edge code nor its messages.
 */
export const STUDENT_TOKEN_ISSUER = 'inscrire';
export const STUDENT_TOKEN_AUDIENCE = 'inscrire:student';
