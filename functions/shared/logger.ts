import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every function. Never log request bodies, tokens, identifiers, birth dates,
 * INEs, addresses or e-mail addresses: log ids (dossier id, request id) and outcomes only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'inscrire' });
