/**
 * Student- and operator-facing text for every API error code, French first (the service's
 * default language) and English. `{param}` placeholders are filled by `errorMessage`.
 */
export type Lang = 'fr' | 'en';

const messages: Record<string, Record<Lang, string>> = {
  SERVICE_CLOSED: {
    fr: "Le service d'inscription administrative en ligne est fermé. Réouverture le {nextOpening}. Vos données déjà saisies sont conservées.",
    en: 'Online administrative enrollment is closed. It reopens on {nextOpening}. Everything you have entered is kept.',
  },
  SERVICE_CLOSED_NO_DATE: {
    fr: "Le service d'inscription administrative en ligne est momentanément fermé. Vos données déjà saisies sont conservées.",
    en: 'Online administrative enrollment is temporarily closed. Everything you have entered is kept.',
  },
  SUPPORT_CLOSED: {
    fr: "Le formulaire d'assistance n'est ouvert que pendant les périodes d'inscription. Réouverture le {nextOpening}.",
    en: 'The support form is only open during enrollment periods. It reopens on {nextOpening}.',
  },
  VALIDATION_FAILED: {
    fr: 'Certaines informations sont invalides. Corrigez les champs signalés.',
    en: 'Some information is invalid. Please correct the fields shown.',
  },
  MALFORMED_JSON: {
    fr: "Le corps de la requête n'est pas un JSON valide.",
    en: 'The request body is not valid JSON.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    fr: 'Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).',
    en: 'Unsupported content type: send JSON (Content-Type: application/json).',
  },
  PAYLOAD_TOO_LARGE: {
    fr: 'La requête est trop volumineuse (maximum {maxBytes} octets).',
    en: 'The request is too large (at most {maxBytes} bytes).',
  },
  UNAUTHENTICATED: {
    fr: 'Votre session a expiré ou est absente. Reconnectez-vous.',
    en: 'Your session has expired or is missing. Please sign in again.',
  },
  FORBIDDEN: {
    fr: "Vous n'avez pas accès à cette ressource.",
    en: 'You do not have access to this resource.',
  },
  NOT_FOUND: {
    fr: 'Ressource introuvable.',
    en: 'Not found.',
  },
  METHOD_NOT_ALLOWED: {
    fr: 'Méthode non autorisée pour cette adresse.',
    en: 'Method not allowed for this address.',
  },
  INTERNAL_ERROR: {
    fr: 'Une erreur inattendue est survenue. Réessayez dans quelques instants ; vos données sont conservées.',
    en: 'An unexpected error occurred. Please try again in a moment; your data is kept.',
  },
  INVALID_CREDENTIALS: {
    fr: "Identifiant ou date de naissance incorrect. Vérifiez votre identifiant (Mon Master : remplacez le préfixe CAND par M3) et votre date de naissance.",
    en: 'Incorrect identifier or date of birth. Check your identifier (Mon Master: replace the CAND prefix with M3) and your date of birth.',
  },
  TOO_MANY_ATTEMPTS: {
    fr: 'Trop de tentatives de connexion. Réessayez dans {minutes} minute(s).',
    en: 'Too many sign-in attempts. Try again in {minutes} minute(s).',
  },
  STEP_LOCKED: {
    fr: 'Votre dossier est validé : il ne peut plus être modifié en ligne. Pour toute correction, contactez votre scolarité.',
    en: 'Your file has been submitted and can no longer be changed online. For any correction, contact your scolarité office.',
  },
  INCOMPLETE: {
    fr: 'Votre dossier est incomplet. Étapes à terminer : {missing}.',
    en: 'Your file is incomplete. Steps still to complete: {missing}.',
  },
  INVALID_TRANSITION: {
    fr: "Cette action n'est pas possible dans l'état actuel du dossier.",
    en: 'This action is not possible in the file’s current state.',
  },
  INE_INVALID: {
    fr: "L'identifiant national (INE/BEA/INES) n'est pas valide. Vous le trouverez sur les certificats de scolarité de votre lycée, sur le relevé de notes du baccalauréat, ou auprès de la première université où vous avez été inscrit(e).",
    en: 'The national student number (INE/BEA/INES) is not valid. You will find it on your high-school certificates, on your baccalauréat transcript, or from the first university you enrolled at.',
  },
  INES_UNAVAILABLE: {
    fr: "Le service national de vérification de l'INE ne répond pas. Votre saisie n'a pas été validée : réessayez dans quelques minutes.",
    en: 'The national INE verification service is not responding. Your entry was not accepted: please try again in a few minutes.',
  },
  CVEC_MISMATCH: {
    fr: "L'état-civil de l'attestation CVEC ne correspond pas à celui de votre dossier. L'état-civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l'outil de candidature, en conformité avec votre pièce d'identité.",
    en: 'The civil status on the CVEC certificate does not match your file. The civil status used on the CROUS website must be the same as in the application tool, matching your identity document.',
  },
  CVEC_NOT_FOUND: {
    fr: "Aucune attestation CVEC ne correspond à ce numéro et à votre nom. Vérifiez le numéro, et que l'état-civil utilisé sur le site du CROUS est le même que celui de votre candidature.",
    en: 'No CVEC certificate matches this number and your name. Check the number, and that the civil status used on the CROUS website is the same as in your application.',
  },
  CVEC_UNAVAILABLE: {
    fr: "Le service national de contrôle CVEC ne répond pas. Votre attestation n'a pas été validée : réessayez dans quelques minutes.",
    en: 'The national CVEC verification service is not responding. Your certificate was not accepted: please try again in a few minutes.',
  },
  PAYMENT_NOT_ALLOWED: {
    fr: "Le paiement en ligne n'est pas possible pour ce dossier.",
    en: 'Online payment is not possible for this file.',
  },
  PAYMENT_NOT_ALLOWED_PAY_AT_OFFICE: {
    fr: "Votre demande de bourse est en cours de traitement par le CROUS : le paiement se fera en scolarité sur production des pièces justificatives. Attention : ne vous reconnectez pas ultérieurement pour payer en ligne.",
    en: 'Your scholarship application is being processed by the CROUS: you will pay at the scolarité desk on presentation of supporting documents. Do not come back online later to pay.',
  },
  PAYMENT_NOT_ALLOWED_ALREADY_DONE: {
    fr: 'Votre inscription est déjà réglée : aucun paiement supplémentaire n’est nécessaire.',
    en: 'Your enrollment is already paid: no further payment is needed.',
  },
  PAYMENT_NOT_ALLOWED_CANCELLED: {
    fr: 'Ce dossier a été annulé : aucun paiement n’est possible. Contactez votre scolarité.',
    en: 'This file has been cancelled: no payment is possible. Contact your scolarité office.',
  },
  PAYMENT_NOT_ALLOWED_NOT_DUE: {
    fr: 'Validez d’abord votre dossier : le paiement vient après la validation.',
    en: 'Submit your file first: payment comes after submission.',
  },
  SUPPORT_RATE_LIMITED: {
    fr: "Vous avez déjà envoyé plusieurs demandes d'assistance. Réessayez dans {minutes} minute(s).",
    en: 'You have already sent several support requests. Try again in {minutes} minute(s).',
  },
  CONFLICT_RETRY: {
    fr: 'Votre dossier a été modifié en même temps par une autre action. Réessayez.',
    en: 'Your file was changed at the same time by another action. Please try again.',
  },
};

export function errorMessage(code: string, lang: Lang, params: Record<string, string | number> = {}): string {
  const entry = messages[code] ?? messages.INTERNAL_ERROR!;
  return entry[lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** Human date for a closed-service message, e.g. "mercredi 24 juin 2026 à 09:00". */
export function formatDateTime(instant: Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(instant);
}
