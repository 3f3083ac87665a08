/**
 * Student- and operator-facing text for every API error code, French first (the service's
 * default language) and English. `{param}` placeholders are filled by `errorMessage`
 * (catalogue.ts). The Lambda functions read this table packed (catalogue.generated.ts): after
 * editing it, run `npm run messages`.
 */
import type { Lang } from './lang';

export type { Lang };

export const ERROR_MESSAGES = {
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
  UNAUTHENTICATED_CANCELLED: {
    fr: 'Votre dossier a été annulé par la scolarité, ce qui a fermé votre session. Reconnectez-vous pour le consulter, ou contactez votre scolarité.',
    en: 'Your file has been cancelled by the scolarité office, which ended your session. Sign in again to see it, or contact your scolarité office.',
  },
  FORBIDDEN: {
    fr: "Vous n'avez pas accès à cette ressource.",
    en: 'You do not have access to this resource.',
  },
  FORBIDDEN_ROLE: {
    fr: 'Cette action est réservée au rôle « {role} » : demandez-la à un·e responsable.',
    en: 'This action needs the "{role}" role: ask a supervisor.',
  },
  NOT_FOUND: {
    fr: 'Ressource introuvable.',
    en: 'Not found.',
  },
  SUPPORT_REQUEST_NOT_FOUND: {
    fr: 'Demande d’assistance introuvable.',
    en: 'Support request not found.',
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
    fr: 'Identifiant ou date de naissance incorrect. Vérifiez votre identifiant (Mon Master : remplacez le préfixe CAND par M3) et votre date de naissance.',
    en: 'Incorrect identifier or date of birth. Check your identifier (Mon Master: replace the CAND prefix with M3) and your date of birth.',
  },
  TOO_MANY_ATTEMPTS: {
    fr: 'Trop de tentatives de connexion. Réessayez dans {minutes} minute(s).',
    en: 'Too many sign-in attempts. Try again in {minutes} minute(s).',
  },
  ADMISSION_PROGRAMME_UNKNOWN: {
    fr: 'Votre admission renvoie à une formation que ce service ne connaît pas : votre dossier ne peut pas être ouvert en ligne. Contactez votre scolarité, qui corrigera votre admission.',
    en: 'Your admission refers to a programme this service does not know: your file cannot be opened online. Contact your scolarité office, which will correct your admission.',
  },
  STEP_LOCKED: {
    fr: 'Votre dossier est validé : il ne peut plus être modifié en ligne. Pour toute correction, contactez votre scolarité.',
    en: 'Your file has been submitted and can no longer be changed online. For any correction, contact your scolarité office.',
  },
  STEP_LOCKED_CANCELLED: {
    fr: 'Votre dossier a été annulé par la scolarité : il ne peut plus être modifié ni payé en ligne. Contactez votre scolarité.',
    en: 'Your file has been cancelled by the scolarité office: it can no longer be changed or paid online. Contact your scolarité office.',
  },
  TOO_MANY_CVEC_LOOKUPS: {
    fr: 'Trop de vérifications de certificat CVEC pour ce dossier. Réessayez dans {minutes} minute(s).',
    en: 'Too many CVEC certificate checks for this file. Try again in {minutes} minute(s).',
  },
  SCHOLARSHIP_NOT_DECLARED: {
    fr: "Ce dossier n'a pas de bourse déclarée accordée à vérifier (statut : {status}).",
    en: 'This file has no declared granted scholarship to verify (status: {status}).',
  },
  WITHDRAWAL_NOT_ALLOWED: {
    fr: 'Seule une inscription validée peut faire l’objet d’un désistement. Pour un dossier en cours, contactez votre scolarité.',
    en: 'Only a completed enrollment can be withdrawn. For a file still in progress, contact your scolarité office.',
  },
  REFUND_NOT_AWAITED: {
    fr: 'Ce dossier n’attend pas de décision de remboursement (statut : {status}).',
    en: 'This file is not awaiting a refund decision (status: {status}).',
  },
  SCHOLARSHIP_ALREADY_REVIEWED: {
    fr: 'La bourse de ce dossier a déjà fait l’objet d’une décision définitive.',
    en: 'The scholarship of this file has already been decided.',
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
  PROVISIONAL_INE_EXHAUSTED: {
    fr: 'Plus aucun INE provisoire ne peut être attribué en ligne pour cette année universitaire. Vos autres données sont conservées : contactez votre scolarité.',
    en: 'No more provisional INEs can be assigned online for this academic year. Everything else you entered is kept: contact your scolarité office.',
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
    fr: 'Votre demande de bourse est en cours de traitement par le CROUS : le paiement se fera en scolarité sur production des pièces justificatives. Attention : ne vous reconnectez pas ultérieurement pour payer en ligne.',
    en: 'Your scholarship application is being processed by the CROUS: you will pay at the scolarité desk on presentation of supporting documents. Do not come back online later to pay.',
  },
  PAYMENT_NOT_ALLOWED_SCHOLARSHIP_TO_VERIFY: {
    fr: "Vous avez déclaré une bourse accordée : elle doit être vérifiée par la scolarité (notification du CROUS) avant toute suite. Le paiement en ligne n'est pas possible ; si la bourse n'est pas confirmée, vous serez prévenu par courriel.",
    en: 'You declared a granted scholarship: the scolarité office must check it (CROUS notification) first. Online payment is not possible; if the scholarship is not confirmed, you will be told by e-mail.',
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
  PAYMENT_NOT_ALLOWED_PROCESSING: {
    fr: 'Votre paiement est en cours de confirmation : ne payez pas une seconde fois. Actualisez votre dossier dans quelques instants.',
    en: 'Your payment is being confirmed: do not pay a second time. Refresh your file in a few moments.',
  },
  INSTALMENTS_NOT_ALLOWED: {
    fr: 'Le paiement en {parts} fois n’est pas possible pour ce dossier : il est réservé aux droits au taux national d’au moins le montant minimum, payés en ligne.',
    en: 'Paying in {parts} parts is not possible for this file: it is for national-rate fees of at least the minimum amount, paid online.',
  },
  INSTALMENT_NOT_FOUND: {
    fr: 'Cette échéance n’existe pas dans votre échéancier.',
    en: 'This instalment is not in your payment schedule.',
  },
  PAYMENT_UNAVAILABLE: {
    fr: 'Le service de paiement en ligne ne répond pas. Réessayez dans quelques minutes ; votre dossier est conservé.',
    en: 'The online payment service is not responding. Please try again in a few minutes; your file is kept.',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    fr: 'Signature Stripe absente, invalide ou trop ancienne.',
    en: 'Missing, invalid or stale Stripe signature.',
  },
  SUPPORT_RATE_LIMITED: {
    fr: "Vous avez déjà envoyé plusieurs demandes d'assistance. Réessayez dans {minutes} minute(s).",
    en: 'You have already sent several support requests. Try again in {minutes} minute(s).',
  },
  TEMPORARILY_UNAVAILABLE: {
    fr: 'Le service est très sollicité et n’a pas pu répondre à temps. Réessayez dans quelques secondes ; vos données déjà enregistrées sont conservées.',
    en: 'The service is very busy and could not answer in time. Please try again in a few seconds; what you already saved is kept.',
  },
  CONFLICT_RETRY: {
    fr: 'Votre dossier a été modifié en même temps par une autre action. Réessayez.',
    en: 'Your file was changed at the same time by another action. Please try again.',
  },

  // Operators: admissions import (whole file, then per line)
  IMPORT_MEDIA_TYPE: {
    fr: 'Envoyez un fichier CSV (Content-Type: text/csv) ou du JSON {"admissions": […]} (Content-Type: application/json).',
    en: 'Send a CSV file (Content-Type: text/csv) or JSON {"admissions": […]} (Content-Type: application/json).',
  },
  IMPORT_CSV_INVALID: {
    fr: "Le fichier CSV est mal formé vers la ligne {line} (guillemet non refermé ?) : aucune ligne n'a été importée.",
    en: 'The CSV file is malformed near line {line} (an unclosed quote?): no line was imported.',
  },
  IMPORT_COLUMNS_INVALID: {
    fr: "La ligne d'en-tête ne convient pas : colonnes manquantes : {missing} ; colonnes en double : {duplicated}. Colonnes attendues : identifier, source, birthName, usageName (facultative), firstNames, sex, birthDate, birthPlace, birthCountry, nationality, email, programmeCode, academicYear, ou leurs libellés français (identifiant, nom de naissance, prénoms, date de naissance…).",
    en: 'The header row does not fit: missing columns: {missing}; duplicated columns: {duplicated}. Expected columns: identifier, source, birthName, usageName (optional), firstNames, sex, birthDate, birthPlace, birthCountry, nationality, email, programmeCode, academicYear, or their French labels.',
  },
  IMPORT_EMPTY: {
    fr: 'Le fichier ne contient aucune admission à importer.',
    en: 'The file holds no admission to import.',
  },
  IMPORT_TOO_MANY_LINES: {
    fr: "Trop de lignes pour un seul envoi ({found}, au plus {max}) : découpez le fichier, ou utilisez « ops import », qui l'envoie par parties.",
    en: 'Too many lines for one request ({found}, at most {max}): split the file, or use "ops import", which sends it in parts.',
  },
  IMPORT_TOO_MANY_VALUES: {
    fr: "Cette ligne a {found} valeurs pour {expected} colonnes (un séparateur dans une cellule sans guillemets ?) : elle n'est pas importée.",
    en: 'This line has {found} values for {expected} columns (a separator inside an unquoted cell?): it is not imported.',
  },
  IMPORT_DUPLICATE_LINE: {
    fr: 'Doublon exact de la ligne {first}, qui seule est importée.',
    en: 'Exact duplicate of line {first}, which alone is imported.',
  },
  IMPORT_DUPLICATE_CONFLICT: {
    fr: "Le même étudiant (identifiant et année) figure aussi ligne(s) {lines} avec d'autres données : aucune de ces lignes n'est importée. Ne gardez que la bonne.",
    en: 'The same student (identifier and year) is also on line(s) {lines} with different data: none of these lines is imported. Keep only the right one.',
  },
  IMPORT_DOSSIER_LOCKED: {
    fr: "Le dossier de cet étudiant n'est plus un brouillon ({status}) : son admission ne peut plus être modifiée par import. Corrigez le dossier en scolarité.",
    en: "This student's file is no longer a draft ({status}): its admission can no longer be changed by import. Correct the file at the scolarité office.",
  },
  IMPORT_NOT_PROCESSED: {
    fr: 'Ligne non traitée (délai dépassé ou base momentanément surchargée) : renvoyez le fichier ; les lignes déjà importées seront mises à jour, sans doublon.',
    en: 'Line not processed (time limit reached or database briefly overloaded): send the file again; lines already imported are updated, never duplicated.',
  },

  // Operators: actions on a dossier
  OPERATOR_STEP_LOCKED: {
    fr: "Le dossier n'est plus un brouillon ({status}) : cette modification n'est plus possible.",
    en: 'The file is no longer a draft ({status}): this change is no longer possible.',
  },
  OPERATOR_PAYMENT_NOT_DUE: {
    fr: "Aucun paiement n'est attendu pour ce dossier ({status}) : seuls les dossiers « à payer en scolarité » ou « en attente de paiement » se règlent ici.",
    en: 'No payment is expected for this file ({status}): only files "to pay at the scolarité desk" or "awaiting payment" are settled here.',
  },
  OPERATOR_PAYMENT_ALREADY_DONE: {
    fr: 'Ce dossier est déjà inscrit : son paiement est enregistré (référence {reference}).',
    en: 'This file is already enrolled: its payment is recorded (reference {reference}).',
  },
  OPERATOR_PAYMENT_CANCELLED: {
    fr: 'Ce dossier est annulé : aucun paiement ne peut y être enregistré.',
    en: 'This file is cancelled: no payment can be recorded on it.',
  },
  PAYMENT_IN_PROGRESS: {
    fr: "Un paiement par carte vient d'être effectué pour ce dossier : attendez sa confirmation (quelques instants), puis actualisez le dossier avant toute autre action.",
    en: 'A card payment was just made on this file: wait for its confirmation (a few moments), then refresh the file before any other action.',
  },
  OPERATOR_DOSSIER_CANCELLED: {
    fr: 'Ce dossier est annulé : il ne peut plus être modifié.',
    en: 'This file is cancelled: it can no longer be changed.',
  },
  OPERATOR_ALREADY_CANCELLED: {
    fr: 'Ce dossier est déjà annulé.',
    en: 'This file is already cancelled.',
  },
  CERTIFICATE_NOT_FOUND: {
    fr: 'Aucun certificat ne correspond à ce code. Vérifiez le code imprimé sous le QR code.',
    en: 'No certificate matches this code. Check the code printed under the QR code.',
  },
  CERTIFICATE_NOT_READY: {
    fr: 'Vos certificats sont en cours de préparation : réessayez dans quelques instants.',
    en: 'Your certificates are being prepared: please try again in a moment.',
  },
  CERTIFICATES_NOT_AVAILABLE: {
    fr: "Les certificats n'existent que pour un dossier inscrit (statut actuel : {status}).",
    en: 'Certificates only exist for an enrolled file (current status: {status}).',
  },
  TOO_MANY_REQUESTS: {
    fr: 'Trop de demandes en peu de temps. Réessayez dans {seconds} seconde(s).',
    en: 'Too many requests in a short time. Try again in {seconds} second(s).',
  },
  // Supporting documents and corrections
  DOCUMENT_TYPE_NOT_ALLOWED: {
    fr: "Ce type de fichier n'est pas accepté pour cette pièce.",
    en: 'This type of file is not accepted for this document.',
  },
  DOCUMENT_TOO_LARGE: {
    fr: 'Ce fichier est trop volumineux.',
    en: 'This file is too large.',
  },
  UNKNOWN_DOCUMENT: {
    fr: "Cette pièce justificative n'est pas demandée pour votre dossier.",
    en: 'This supporting document is not asked for your file.',
  },
  CORRECTION_ALREADY_DECIDED: {
    fr: 'Cette demande de correction a déjà été traitée.',
    en: 'This correction request has already been decided.',
  },
  MAIL_NOT_AVAILABLE: {
    fr: "Le mail de synthèse n'existe que pour un dossier inscrit (statut actuel : {status}).",
    en: 'The synthesis mail only exists for an enrolled file (current status: {status}).',
  },
} satisfies Record<string, Record<Lang, string>>;

/** Every API error code and message key: a code missing from the table above fails the type-check. */
export type ErrorCode = keyof typeof ERROR_MESSAGES;
