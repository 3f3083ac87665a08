/**
 * Student-facing text for every reason code the domain emits (field errors and domain
 * refusals), in French (default) and English. Codes are stable snake_case; the HTTP edge and
 * the pages translate them with `fieldMessage(code, lang)`.
 *
 * French strings are written with plain apostrophes and spaces and pass through `typo()`,
 * which applies French typography (’ apostrophe, non-breaking spaces before : ; ! ? and inside
 * « »).
 *
 * The lookups below serve the web pages (and build the packed catalogue); the Lambda functions
 * read the same texts from catalogue.generated.ts through catalogue.ts: after editing this
 * table, run `npm run messages`.
 */

import { fieldEntry, type Entry } from './entry';
import type { Lang } from './lang';

export type { Lang };

/** Where to find the INE (seed: "BEA/INE/INES"), appended to INE messages. */
const INE_WHERE = {
  fr: "Vous le trouverez sur les certificats de scolarité établis par votre lycée ou sur le relevé de notes du baccalauréat (BEA/INES) ; l'INE vous a été attribué par la première université dans laquelle vous avez été inscrit(e).",
  en: 'You will find it on the school certificates issued by your high school or on your baccalauréat transcript (BEA/INES); the INE was assigned to you by the first university you enrolled in.',
};

const INE_STUCK = {
  fr: "Si vous n'avez pas d'INE et que vous êtes bloqué(e), faites une demande d'assistance : un INE provisoire vous sera attribué.",
  en: 'If you have no INE and are stuck, send a support request: a provisional INE will be assigned to you.',
};

function ine(fr: string, en: string): Entry {
  return { fr: `${fr} ${INE_WHERE.fr}`, en: `${en} ${INE_WHERE.en}` };
}

const RAW = {
  // ---- generic
  required: { fr: 'Ce champ est obligatoire. Merci de le renseigner.', en: 'This field is required. Please fill it in.' },
  invalid_type: { fr: "Cette valeur n'est pas du type attendu. Vérifiez votre saisie.", en: 'This value is not of the expected type. Please check what you entered.' },
  invalid: { fr: "Cette valeur n'est pas valide. Vérifiez votre saisie.", en: 'This value is not valid. Please check what you entered.' },
  invalid_format: { fr: "Le format de cette valeur n'est pas valide. Vérifiez votre saisie.", en: 'This value is not in a valid format. Please check what you entered.' },
  invalid_choice: { fr: 'Choisissez une des options proposées.', en: 'Please choose one of the options offered.' },
  too_long: { fr: 'Ce texte est trop long. Merci de le raccourcir.', en: 'This text is too long. Please shorten it.' },
  too_short: { fr: 'Ce texte est trop court. Merci de le compléter.', en: 'This text is too short. Please complete it.' },
  too_large: { fr: 'Cette valeur est trop grande.', en: 'This value is too large.' },
  too_small: { fr: 'Cette valeur est trop petite.', en: 'This value is too small.' },
  too_many: { fr: "Il y a trop d'éléments.", en: 'There are too many items.' },
  too_few: { fr: "Il n'y a pas assez d'éléments.", en: 'There are not enough items.' },
  unknown_field: { fr: "Ce champ n'est pas attendu.", en: 'This field is not expected.' },
  control_characters: {
    fr: 'Ce texte contient des caractères invisibles ou de contrôle. Retapez-le au clavier plutôt que de le copier-coller.',
    en: 'This text contains invisible or control characters. Please type it in rather than copy-pasting it.',
  },
  forbidden_characters: {
    fr: 'Ce texte contient des caractères non autorisés (< > { }). Merci de les retirer.',
    en: 'This text contains characters that are not allowed (< > { }). Please remove them.',
  },
  name_characters: {
    fr: "Un nom ne peut contenir que des lettres, des espaces, des traits d'union, des apostrophes et des points.",
    en: 'A name may only contain letters, spaces, hyphens, apostrophes and full stops.',
  },

  // ---- login identifier and dates
  identifier_format: {
    fr: 'Identifiant non reconnu. Saisissez votre numéro étudiant (8 chiffres), votre identifiant Parcoursup (P suivi de 9 chiffres) ou votre identifiant Mon Master (remplacez le préfixe CAND par M3 : CANDxxxxxxxx devient M3xxxxxxxx).',
    en: 'Identifier not recognised. Enter your student number (8 digits), your Parcoursup login (P followed by 9 digits) or your Mon Master login (replace the CAND prefix with M3: CANDxxxxxxxx becomes M3xxxxxxxx).',
  },
  date_format: { fr: 'Saisissez la date au format AAAA-MM-JJ (par exemple 2005-03-21).', en: 'Enter the date as YYYY-MM-DD (for example 2005-03-21).' },
  date_invalid: { fr: "Cette date n'existe pas dans le calendrier. Vérifiez le jour et le mois.", en: 'This date does not exist in the calendar. Please check the day and month.' },
  date_in_future: { fr: 'La date de naissance ne peut pas être dans le futur. Vérifiez l’année.', en: 'The date of birth cannot be in the future. Please check the year.' },
  date_too_old: { fr: "L'année doit être 1900 ou postérieure. Vérifiez l'année.", en: 'The year must be 1900 or later. Please check the year.' },
  academic_year_format: {
    fr: "L'année universitaire s'écrit AAAA-AAAA avec deux années consécutives (par exemple 2026-2027).",
    en: 'The academic year is written YYYY-YYYY with two consecutive years (for example 2026-2027).',
  },

  // ---- contacts
  email_format: {
    fr: "Cette adresse e-mail n'est pas valide. Vérifiez-la (exemple : prenom.nom@exemple.fr).",
    en: 'This e-mail address is not valid. Please check it (example: firstname.lastname@example.com).',
  },
  phone_format: {
    fr: "Ce numéro de téléphone n'est pas valide. Saisissez un numéro français (06 12 34 56 78) ou un numéro au format international commençant par + et l'indicatif du pays (+44 20 7946 0958).",
    en: 'This phone number is not valid. Enter a French number (06 12 34 56 78) or an international number starting with + and the country code (+44 20 7946 0958).',
  },
  country_code: { fr: 'Choisissez un pays dans la liste (code pays à deux lettres, par exemple FR).', en: 'Please choose a country from the list (two-letter country code, e.g. FR).' },
  postal_code_format: {
    fr: 'Ce code postal ne correspond pas au pays choisi. Vérifiez-le (en France : 5 chiffres, par exemple 13001).',
    en: 'This postcode does not match the selected country. Please check it (in France: 5 digits, e.g. 13001).',
  },

  // ---- INE
  ine_required: ine('Saisissez votre INE (ou BEA/INES) : 11 caractères, chiffres et lettres.', 'Enter your INE (or BEA/INES): 11 characters, digits and letters.'),
  ine_characters: ine("L'INE ne contient que des chiffres et des lettres (sans tiret ni autre signe).", 'The INE contains only digits and letters (no hyphens or other signs).'),
  ine_length: ine(
    "L'INE compte exactement 11 caractères. Vérifiez qu'il n'en manque pas et qu'il n'y en a pas en trop.",
    'The INE is exactly 11 characters long. Check that none is missing or extra.',
  ),
  ine_unknown_format: ine(
    "Ce numéro ne correspond à aucun format d'INE : INE-BEA (10 chiffres et une lettre), INES (9 chiffres et 2 lettres), INE université (10 chiffres ou lettres et un chiffre), INE SIFA ou provisoire. Vérifiez chaque caractère.",
    'This number matches no INE format: INE-BEA (10 digits and a letter), INES (9 digits and 2 letters), university INE (10 digits or letters and a digit), SIFA or provisional INE. Please check each character.',
  ),
  ine_bad_key: ine(
    'La clé de contrôle (dernier caractère) de cet INE ne correspond pas aux autres caractères : il y a sans doute une faute de frappe.',
    'The check character (last character) of this INE does not match the others: there is probably a typing mistake.',
  ),
  ine_identical_digits: ine('Un INE ne peut pas être composé de 10 chiffres identiques.', 'An INE cannot be made of 10 identical digits.'),
  ine_forbidden_key_letter: ine(
    "La lettre-clé d'un INE n'est jamais I, O ni Q : vérifiez s'il ne s'agit pas d'un autre caractère (1, 0…).",
    'The key letter of an INE is never I, O or Q: check whether it is another character (1, 0…).',
  ),
  ine_all_letters: ine('Un INE ne peut pas être composé uniquement de lettres.', 'An INE cannot be made of letters only.'),
  ine_bea_bad_key: ine(
    "Votre numéro a la forme d'un INE-BEA (10 chiffres suivis d'une lettre-clé), mais la lettre-clé ne correspond pas aux chiffres. Vérifiez chaque chiffre et la lettre.",
    'Your number looks like an INE-BEA (10 digits followed by a key letter), but the key letter does not match the digits. Please check each digit and the letter.',
  ),
  ine_bea_identical_digits: ine(
    "Votre numéro a la forme d'un INE-BEA, mais ses 10 chiffres sont identiques : ce n'est pas un INE valide.",
    'Your number looks like an INE-BEA, but its 10 digits are all the same: it is not a valid INE.',
  ),
  ine_bea_forbidden_key_letter: ine(
    "Votre numéro a la forme d'un INE-BEA, mais sa lettre-clé est I, O ou Q, lettres jamais utilisées comme clé. Vérifiez le dernier caractère.",
    'Your number looks like an INE-BEA, but its key letter is I, O or Q, which are never used as keys. Please check the last character.',
  ),
  ine_base36_bad_key: ine(
    "Votre numéro a la forme d'un INE attribué par une université (10 chiffres ou lettres suivis d'un chiffre-clé), mais le chiffre-clé ne correspond pas. Vérifiez chaque caractère.",
    'Your number looks like a university-assigned INE (10 digits or letters followed by a check digit), but the check digit does not match. Please check each character.',
  ),
  ine_base36_identical_digits: ine(
    "Votre numéro a la forme d'un INE attribué par une université, mais ses 10 premiers chiffres sont identiques : ce n'est pas un INE valide.",
    'Your number looks like a university-assigned INE, but its first 10 digits are all the same: it is not a valid INE.',
  ),
  ine_base36_all_letters: ine(
    "Votre numéro a la forme d'un INE attribué par une université, mais ses 10 premiers caractères sont tous des lettres : un tel INE contient toujours des chiffres.",
    'Your number looks like a university-assigned INE, but its first 10 characters are all letters: such an INE always contains digits.',
  ),
  ine_sifa_forbidden_key_letter: ine(
    "Votre numéro a la forme d'un INE SIFA (4 chiffres, la lettre A, 5 chiffres et une lettre-clé), mais la lettre-clé est I, O ou Q, lettres jamais utilisées. Vérifiez le dernier caractère.",
    'Your number looks like a SIFA INE (4 digits, the letter A, 5 digits and a key letter), but the key letter is I, O or Q, which are never used. Please check the last character.',
  ),
  ine_provisional_forbidden_key_letter: ine(
    "Votre numéro a la forme d'un INE provisoire (4 chiffres, la lettre D, 5 chiffres et une lettre-clé), mais la lettre-clé est I, O ou Q, lettres jamais utilisées. Vérifiez le dernier caractère.",
    'Your number looks like a provisional INE (4 digits, the letter D, 5 digits and a key letter), but the key letter is I, O or Q, which are never used. Please check the last character.',
  ),
  ine_ines_not_found: ine(
    "Votre numéro a la forme d'un INES (9 chiffres et 2 lettres), mais le service national de vérification ne le reconnaît pas pour votre date de naissance. Vérifiez chaque caractère.",
    'Your number looks like an INES (9 digits and 2 letters), but the national verification service does not recognise it for your date of birth. Please check each character.',
  ),
  ine_ines_not_confirmed: ine(
    "Votre numéro a la forme d'un INES (9 chiffres et 2 lettres), mais le service national de vérification ne l'a pas confirmé pour votre date de naissance. Vérifiez chaque caractère.",
    'Your number looks like an INES (9 digits and 2 letters), but the national verification service did not confirm it for your date of birth. Please check each character.',
  ),
  ine_check_unavailable: {
    fr: "La vérification de l'INE est momentanément indisponible. Votre saisie est conservée ; merci de réessayer dans quelques minutes.",
    en: 'INE verification is temporarily unavailable. What you entered is kept; please try again in a few minutes.',
  },
  ine_no_ine_not_allowed: {
    fr: `Un INE ne peut vous être attribué automatiquement que si vous n'avez pas le baccalauréat français et n'avez jamais été inscrit(e) dans une université française. Sinon, vous avez déjà un INE. ${INE_WHERE.fr} ${INE_STUCK.fr}`,
    en: `An INE can only be assigned automatically if you do not hold the French baccalauréat and have never enrolled in a French university. Otherwise you already have an INE. ${INE_WHERE.en} ${INE_STUCK.en}`,
  },

  // ---- CVEC
  cvec_format: {
    fr: "Ce numéro de certificat CVEC n'a pas le bon format : 3 lettres, 1 chiffre puis 6 à 10 lettres ou chiffres (par exemple AIX6ABC12345). Recopiez-le depuis votre attestation CVEC.",
    en: 'This CVEC certificate number is not in the right format: 3 letters, 1 digit, then 6 to 10 letters or digits (for example AIX6ABC12345). Copy it from your CVEC certificate.',
  },
  cvec_wrong_campaign: {
    fr: "Ce certificat CVEC ne correspond pas à l'année universitaire de cette inscription. Acquittez (ou faites exonérer) la CVEC de cette année sur le site cvec.etudiant.gouv.fr et saisissez le numéro du nouveau certificat.",
    en: "This CVEC certificate is not for the academic year of this enrollment. Pay (or get an exemption from) this year's CVEC on cvec.etudiant.gouv.fr and enter the new certificate number.",
  },
  cvec_state_invalid: {
    fr: "Ce certificat CVEC n'est pas valide (par exemple remboursé ou annulé). La saisie d'un certificat valide, payé ou exonéré, est obligatoire : vérifiez votre situation sur le site cvec.etudiant.gouv.fr.",
    en: 'This CVEC certificate is not valid (for example refunded or cancelled). A valid certificate, paid or exempted, is mandatory: check your situation on cvec.etudiant.gouv.fr.',
  },
  cvec_mismatch: {
    fr: "Ce certificat CVEC ne correspond pas à votre état civil. L'état civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l'outil de candidature, en conformité avec votre pièce d'identité. Corrigez-le sur le site de la CVEC, puis saisissez à nouveau le numéro.",
    en: 'This CVEC certificate does not match your civil status. The civil status used on the CROUS website must be the same as the one used in the application tool, in accordance with your identity document. Correct it on the CVEC website, then enter the number again.',
  },
  cvec_not_found: {
    fr: "Aucun certificat CVEC ne correspond à ce numéro et à votre nom. Vérifiez le numéro ; l'état civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l'outil de candidature, en conformité avec votre pièce d'identité.",
    en: 'No CVEC certificate matches this number and your surname. Check the number; the civil status used on the CROUS website must be the same as the one used in the application tool, in accordance with your identity document.',
  },
  cvec_check_unavailable: {
    fr: 'La vérification du certificat CVEC est momentanément indisponible. Votre saisie est conservée ; merci de réessayer dans quelques minutes.',
    en: 'CVEC certificate verification is temporarily unavailable. What you entered is kept; please try again in a few minutes.',
  },

  regime_exchange_not_admitted: {
    fr: 'Le régime « échange international ACCUEIL » est réservé aux étudiants que leur admission désigne comme étudiants en échange. Choisissez un autre régime ou contactez votre scolarité.',
    en: 'The "incoming international exchange" regime is for students whose admission marks them as exchange students. Choose another regime or contact your scolarité office.',
  },

  // ---- programme
  programme_code_format: { fr: "Ce code de formation n'est pas valide.", en: 'This programme code is not valid.' },
  programme_not_admitted: {
    fr: 'Vous ne pouvez confirmer que la formation dans laquelle vous avez été admis(e). Pour toute autre formation, contactez la scolarité concernée.',
    en: 'You can only confirm the programme you were admitted to. For any other programme, contact the scolarité office concerned.',
  },

  // ---- operators
  programme_unknown: {
    fr: "Ce code de formation n'existe pas dans le catalogue de l'université.",
    en: "This programme code is not in the university's catalogue.",
  },
  academic_year_unknown: {
    fr: "Aucun tarif n'est défini pour cette année universitaire : vérifiez l'année (par exemple 2026-2027).",
    en: 'No fee rates are defined for this academic year: check the year (for example 2026-2027).',
  },
  cursor_invalid: {
    fr: "Ce curseur de pagination n'est pas valide : reprenez la recherche depuis le début.",
    en: 'This pagination cursor is not valid: start the search again.',
  },
  search_ine_invalid: {
    fr: "Ce numéro a la forme d'un INE, mais ce n'est pas un INE valide (clé de contrôle ou lettre-clé fausse) : vérifiez chaque caractère.",
    en: 'This number has the shape of an INE but is not a valid one (wrong check character or key letter): check each character.',
  },
  search_criteria_required: {
    fr: 'Indiquez un identifiant, un INE, un nom (au moins 2 lettres) ou un numéro de dossier, ou bien un statut.',
    en: 'Give an identifier, an INE, a name (at least 2 letters) or a file number, or else a status.',
  },

  // ---- dossier and payment
  step_locked: {
    fr: 'Votre dossier a été validé : il ne peut plus être modifié en ligne. Pour toute correction, contactez votre service de scolarité.',
    en: 'Your application has been submitted: it can no longer be changed online. For any correction, contact your scolarité office.',
  },
  incomplete: {
    fr: 'Votre dossier est incomplet : terminez toutes les étapes avant de le valider.',
    en: 'Your application is incomplete: please finish every step before submitting it.',
  },
  invalid_transition: { fr: "Cette opération n'est pas possible dans l'état actuel du dossier.", en: 'This operation is not possible in the current state of the application.' },
  payment_not_due: { fr: "Aucun paiement en ligne n'est attendu pour ce dossier.", en: 'No online payment is expected for this application.' },
  payment_pay_at_office: {
    fr: 'Votre demande de bourse est en cours de traitement par le CROUS : le paiement se fera en scolarité, sur production des pièces justificatives. Attention : il ne faut pas vous reconnecter ultérieurement pour effectuer le paiement en ligne.',
    en: 'Your scholarship application is being processed by the CROUS: payment will be made at the scolarité office, on presentation of supporting documents. Please note: do not log in again later to pay online.',
  },
  payment_already_done: {
    fr: 'Le paiement de ce dossier a déjà été enregistré : vous n’avez rien de plus à payer.',
    en: 'The payment for this application has already been recorded: you have nothing more to pay.',
  },
  payment_cancelled: {
    fr: 'Cette inscription a été annulée : aucun paiement ne peut être effectué. Contactez votre service de scolarité.',
    en: 'This enrollment has been cancelled: no payment can be made. Please contact your scolarité office.',
  },
  payment_amount_mismatch: {
    fr: 'Le montant payé ne correspond pas aux droits dus. Le service de scolarité va régulariser votre dossier.',
    en: 'The amount paid does not match the fees due. The scolarité office will settle your application.',
  },
  document_type_not_allowed: { fr: 'Formats acceptés pour cette pièce : PDF, JPEG ou PNG (photo : JPEG ou PNG).', en: 'Formats accepted for this document: PDF, JPEG or PNG (photo: JPEG or PNG).' },
  document_too_large: { fr: 'Le fichier dépasse la taille maximale autorisée.', en: 'The file is larger than the maximum allowed.' },
  refund_exceeds_refundable: {
    fr: 'Le remboursement ne peut pas dépasser ce qui a été payé, moins la retenue et les remboursements déjà faits.',
    en: 'The refund cannot exceed what was paid, minus the retention and any refund already made.',
  },
  document_not_reviewable: { fr: "Aucun fichier de cette pièce n'attend de décision.", en: 'No file of this document is awaiting a decision.' },
  fee_rate_missing: {
    fr: 'Les droits de cette formation ne sont pas encore disponibles. Merci de réessayer plus tard ou de contacter l’assistance.',
    en: 'The fees for this programme are not available yet. Please try again later or contact support.',
  },
} satisfies Record<string, Entry>;

/** Every reason code of a field or a domain refusal: a code missing from the table above fails the type-check. */
export type FieldCode = keyof typeof RAW;

/** French typography: ’, narrow no-break space before ; ! ?, no-break space before : and inside « ». */
export function typo(s: string): string {
  return s
    .replace(/'/g, '\u2019')
    .replace(/ ([;!?])/g, '\u202F$1')
    .replace(/ :/g, '\u00A0:')
    .replace(/« /g, '«\u00A0')
    .replace(/ »/g, '\u00A0»');
}

const MESSAGES: ReadonlyMap<string, Entry> = new Map(Object.entries(RAW).map(([code, m]) => [code, Object.freeze({ fr: typo(m.fr), en: m.en })]));

/** Every reason code this module has text for. */
export const FIELD_CODES: readonly FieldCode[] = Object.freeze([...MESSAGES.keys()] as FieldCode[]);

export function isFieldCode(code: unknown): code is FieldCode {
  return typeof code === 'string' && MESSAGES.has(code);
}

/** The message for a reason code (an unknown one: entry.ts `fieldEntry`). */
export function fieldMessage(code: FieldCode, lang: Lang): string {
  return fieldEntry(MESSAGES, code)[lang];
}
