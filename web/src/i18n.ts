/**
 * The pages' own text, French (the service's language) and English. Messages about input and
 * API refusals are not here: they come from the shared domain messages (fieldMessage) or the
 * API's answers, in the same language, so the pages and the API always say the same thing.
 */
import { formatEuros, REGIME_LABELS } from '../../functions/domain/labels';
import { LOCALES, type Lang } from '../../functions/domain/messages/lang';

/** The regimes' names (functions/domain/labels.ts), in one language. */
const regimeNames = (lang: Lang): Record<string, string> => Object.fromEntries(Object.entries(REGIME_LABELS).map(([regime, names]) => [regime, names[lang]]));

export type { Lang };

const LANG_KEY = 'inscrire.lang';

const fr = {
  htmlLang: 'fr',
  siteName: 'Inscription administrative',
  skipLink: 'Aller au contenu principal',
  mainMenu: 'Menu principal',
  footerMenu: 'Liens utiles',
  switchTo: 'English',
  switchToLang: 'en',
  switchLabel: 'Switch to English',
  help: 'Aide',
  support: 'Assistance',
  logout: 'Se déconnecter',
  home: 'Accueil',
  titleSuffix: 'Inscription administrative',
  errorPrefix: 'Erreur',
  errorSummaryTitle: 'Il y a un problème',
  networkError: 'Le service ne répond pas. Vérifiez votre connexion à Internet puis réessayez ; ce que vous avez saisi est conservé.',
  optional: '(facultatif)',
  change: 'Modifier',
  reportError: 'Signaler une erreur',
  documents: 'Pièces justificatives',
  continue: 'Continuer',
  saveContinue: 'Enregistrer et continuer',
  previous: 'Étape précédente',
  notProvided: 'Non renseigné',
  colon: ' : ',
  listSeparator: ' ; ',
  backTo: (page: string) => `Retour à la page « ${page} »`,
  a11yStatus: 'Accessibilité : partiellement conforme',
  a11yTitle: 'Déclaration d’accessibilité',

  // Session timeout (WCAG 2.2.1)
  sessionWarnTitle: 'Votre session va bientôt expirer',
  sessionWarnText: (time: string, minutes: number) =>
    `Sans action de votre part, votre session expirera à ${time} (dans ${minutes} minutes). Ce que vous avez saisi sur cette page est gardé dans ce navigateur.`,
  extendSession: 'Prolonger ma session',
  endSession: 'Me déconnecter',
  extendFailed: 'La session n’a pas pu être prolongée. Vérifiez votre connexion à Internet puis réessayez.',
  draftsKept: (list: string) => `Ce que vous aviez saisi sans l’enregistrer est gardé dans ce navigateur et sera rétabli après reconnexion : ${list}.`,
  draftItem: (page: string, fields: string) => `page « ${page} » (${fields})`,
  draftRestored: (fields: string) => `Ce que vous aviez saisi sans l’enregistrer a été rétabli : ${fields}. Enregistrez pour le garder.`,

  // Home and status
  homeTitle: 'Inscription administrative en ligne',
  homeIntro:
    'Ce service vous permet de réaliser votre inscription administrative à l’université après votre admission : vérification de votre identité, INE, situation, CVEC, formation, puis paiement des droits.',
  statusOpen: 'Le service est ouvert.',
  statusOpenUntil: (date: string) => `Le service est ouvert jusqu’au ${date}.`,
  statusClosed: 'Le service est actuellement fermé.',
  nextOpening: (date: string) => `Prochaine ouverture : ${date}.`,
  start: 'Commencer ou reprendre mon inscription',
  resume: 'Reprendre mon inscription',
  beforeStart: 'Avant de commencer, munissez-vous de :',
  needCvec: 'votre certificat de paiement ou d’exonération de la CVEC (sauf formation continue, contrat de professionnalisation et échange international ACCUEIL) ;',
  needIne: 'votre numéro INE, BEA ou INES ;',
  needCard: 'votre carte bancaire (sauf si vous êtes boursier ou boursière, ou en attente de la décision du CROUS).',
  dataKept: 'Vos données déjà saisies sont conservées.',
  homeHelp: 'Une question ? Consultez l’aide.',

  // Closed
  closedTitle: 'Service fermé',
  closedHeading: 'Le service d’inscription en ligne est fermé',
  closedReopened: 'Le service est de nouveau ouvert.',
  closedHelp: 'L’aide reste disponible pendant la fermeture.',
  closedEnrolled: 'Déjà inscrit·e ? Vous pouvez vous connecter pour payer une échéance, suivre un remboursement ou télécharger vos attestations.',

  // Login
  loginTitle: 'Connexion',
  loginIntro: 'Connectez-vous avec l’identifiant de votre admission et votre date de naissance.',
  identifier: 'Identifiant',
  identifierHint: 'Numéro étudiant (8 chiffres), identifiant Parcoursup (P suivi de 9 chiffres) ou identifiant Mon Master : remplacez le préfixe CAND par M3 (CANDxxxxxxxx devient M3xxxxxxxx).',
  birthDate: 'Date de naissance',
  birthDateHint: 'Par exemple : 14 3 2008.',
  day: 'Jour',
  month: 'Mois',
  year: 'Année',
  dateParts: 'Saisissez le jour, le mois et l’année en chiffres, par exemple 14 3 2008.',
  signIn: 'Se connecter',
  sessionExpired: 'Votre session a expiré après une période sans activité. Reconnectez-vous pour reprendre : les étapes enregistrées sont conservées.',
  loggedOut: 'Vous êtes déconnecté(e). Ce que vous aviez saisi sans l’enregistrer a été effacé de ce navigateur.',

  // Wizard
  progressLabel: 'Progression de l’inscription',
  stepOf: (n: number, total: number) => `Étape ${n} sur ${total}`,
  stepDone: '(terminée)',
  stepCurrent: '(en cours)',
  stepNames: {
    identity: 'Identité et coordonnées',
    ine: 'INE',
    situation: 'Situation',
    cvec: 'CVEC',
    programme: 'Formation',
    summary: 'Récapitulatif et validation',
  },

  // Identity
  civilStatus: 'État civil',
  civilStatusNote: 'Ces informations proviennent de votre admission et ne peuvent pas être modifiées ici. Si elles sont inexactes, contactez l’assistance avant de continuer.',
  birthName: 'Nom de naissance',
  usageName: 'Nom d’usage',
  firstNames: 'Prénom(s)',
  contact: 'Coordonnées',
  email: 'Adresse e-mail personnelle',
  emailHint: 'L’e-mail de synthèse de votre inscription y sera envoyé.',
  phone: 'Téléphone',
  phoneHint: 'Numéro français (06 12 34 56 78) ou international commençant par + (+44 20 7946 0958).',
  address: 'Adresse de domicile',
  termAddress: 'Adresse pendant l’année universitaire',
  termDifferent: 'Mon adresse pendant l’année universitaire est différente',
  line1: 'Numéro et voie',
  line2: 'Complément d’adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  country: 'Pays',
  identityConfirm: 'En continuant, vous confirmez que votre état civil ci-dessus est exact.',

  // INE
  ineQuestion: 'Avez-vous un INE (ou BEA/INES) ?',
  ineYes: 'Oui, j’ai un INE, un BEA ou un INES',
  ineNo: 'Non, je n’ai pas d’INE',
  ine: 'Numéro INE, BEA ou INES',
  ineHint:
    '11 caractères. Vous le trouverez sur les certificats de scolarité établis par votre lycée ou sur le relevé de notes du baccalauréat (BEA/INES) ; l’INE vous a été attribué par la première université dans laquelle vous avez été inscrit(e).',
  noIneIntro: 'Un INE provisoire vous est attribué automatiquement seulement si les deux affirmations suivantes sont vraies :',
  noFrenchBac: 'Je ne suis pas titulaire du baccalauréat français',
  neverEnrolled: 'Je n’ai jamais été inscrit(e) dans une université française',
  noIneStuck: 'Vous n’avez pas d’INE et vous êtes bloqué(e) ? Faites une demande d’assistance : un INE provisoire sera généré pour vous.',
  provisionalAssigned: (ine: string) => `INE provisoire attribué : ${ine}`,

  // Situation
  regime: 'Régime d’inscription',
  regimes: regimeNames('fr'),
  scholarship: 'Bourse sur critères sociaux (CROUS)',
  scholarships: {
    none: 'Je ne suis pas boursier ou boursière',
    granted: 'Ma bourse est accordée (j’ai reçu la notification)',
    pending: 'Ma demande de bourse est en cours de traitement par le CROUS',
  } as Record<string, string>,
  scholarshipPendingHint: 'Dans ce cas, le paiement ne se fait pas en ligne : il se fera en scolarité, sur production des pièces justificatives.',
  scholarshipGrantedHint: 'Vous êtes exonéré(e) des droits d’inscription.',

  // CVEC
  cvecNumber: 'Numéro du certificat CVEC',
  cvecHint: 'Par exemple AIX6ABC12345 : 3 lettres, 1 chiffre puis 6 à 10 lettres ou chiffres. La saisie est obligatoire, que la CVEC soit payée ou exonérée.',
  cvecCivil: 'L’état civil utilisé sur le site du CROUS doit être le même que celui de votre candidature, conforme à votre pièce d’identité.',
  cvecGet: 'Pas encore de certificat ? Obtenez-le sur cvec.etudiant.gouv.fr.',
  cvecNotConcerned: (regime: string) => `Votre régime d’inscription (${regime}) n’est pas concerné par la CVEC : vous n’avez rien à saisir.`,
  cvecConcernedNote: 'La CVEC concerne la formation initiale, la reprise d’études non financée, l’apprentissage, les IFSI et les CPGE.',

  // Programme
  programmeIntro: 'Confirmez la formation dans laquelle vous avez été admis(e).',
  programme: 'Formation',
  component: 'Composante',
  fees: 'Droits d’inscription',
  feesExempt: {
    scholarship_granted: 'Exonéré(e) : boursier ou boursière',
    exchange_programme: 'Exonéré(e) : échange international',
  } as Record<string, string>,
  feesAtOffice: (amount: string) => `${amount}, à régler en scolarité (bourse en cours de traitement)`,
  scolarite: 'Votre scolarité',
  scolariteNote: 'Pour les questions pédagogiques et les rendez-vous, contactez votre scolarité (pas l’assistance à l’inscription en ligne).',
  confirmProgramme: 'Confirmer cette formation',
  saveReturnSummary: 'Enregistrer et revenir au récapitulatif',
  backToSummary: 'Retour au récapitulatif sans enregistrer',

  // Summary
  summaryIntro: 'Vérifiez vos informations avant de valider votre dossier.',
  submitWarning: 'Après validation, votre dossier ne pourra plus être modifié en ligne.',
  submit: 'Valider mon dossier',
  ineLabel: 'INE',
  provisional: 'provisoire',
  cvecNotRequired: 'Non demandée pour votre régime',
  paymentTitle: 'Paiement des droits d’inscription',
  submittedAwaiting: 'Votre dossier est validé. Il reste à payer vos droits d’inscription par carte bancaire.',
  amountDue: 'Montant à payer',
  planQuestion: 'Comment souhaitez-vous payer ?',
  planFull: (amount: string) => `En une fois : ${amount}`,
  planInstalments: (parts: number) => `En ${parts} fois, sans frais`,
  planInstalmentsHint: 'Votre carte est enregistrée pour les prélèvements suivants ; vous pouvez régler le reste à tout moment.',
  planPart: (n: number, amount: string, day: string, now: boolean) => `Échéance ${n} : ${amount}, ${now ? 'aujourd’hui' : `le ${day}`}`,
  planPartState: (n: number, amount: string, day: string, state: string) => `Échéance ${n} : ${amount}, le ${day} — ${state}`,
  payChosen: 'Payer par carte bancaire',
  payPartNow: 'Payer maintenant',
  scheduleHeading: 'Votre échéancier',
  movementsHeading: 'Vos paiements et remboursements',
  pay: (amount: string) => `Payer ${amount} par carte bancaire`,
  payRedirectNote: 'Vous allez être redirigé(e) vers la page de paiement sécurisée de notre prestataire.',
  paymentUnavailable: 'Le paiement en ligne est momentanément indisponible. Réessayez dans quelques minutes.',
  cancelledDossier: 'Votre inscription a été annulée. Contactez votre scolarité.',
  withdrawalTitle: 'Désistement',
  withdrawnDossier: 'Votre désistement est enregistré : vous n’êtes plus inscrit(e) pour cette année universitaire. Vos certificats ne sont plus valables.',
  withdrawalRequested: 'Votre demande de désistement est enregistrée. L’année universitaire ayant commencé, la scolarité décide du remboursement éventuel : vous recevrez un e-mail.',
  refundAmount: 'Remboursement',
  refundStatusLabel: 'État du remboursement',
  refundStatus: {
    requested: 'en cours',
    pending: 'en cours',
    succeeded: 'effectué',
    failed: 'échoué : la scolarité vous contactera',
    office: 'effectué par le service comptable (paiement en scolarité)',
    none: 'aucun remboursement',
  } as Record<string, string>,

  // Payment return / cancel
  returnTitle: 'Confirmation du paiement',
  returnWaiting: 'Nous attendons la confirmation de votre paiement. Ne fermez pas cette page et ne payez pas une deuxième fois.',
  returnSlow:
    'La confirmation prend plus de temps que prévu. Vous n’avez rien à refaire et ne devez pas payer une deuxième fois : votre inscription sera terminée dès la confirmation, et vous recevrez l’e-mail de synthèse.',
  checkAgain: 'Vérifier à nouveau',
  cancelTitle: 'Paiement annulé',
  cancelText: 'Le paiement a été annulé : aucun montant n’a été débité. Votre dossier validé est conservé.',
  retryPayment: 'Reprendre le paiement',

  // Done
  doneTitle: 'Inscription terminée',
  doneHeading: 'Votre inscription administrative est terminée',
  certificatesHeading: 'Vos certificats',
  certificatesIntro:
    'Votre certificat de scolarité et votre attestation de paiement (ou d’exonération) sont au format PDF. Toute personne à qui vous les remettez peut les vérifier en ligne grâce au code et au QR code qu’ils portent.',
  certificatesPending: 'Vos certificats sont en cours de préparation. Revenez sur cette page dans quelques instants.',
  certificateKinds: { enrollment: 'Certificat de scolarité', payment: 'Attestation de paiement' } as Record<string, string>,
  certificateDownload: (kind: string, language: string) => `${kind} (PDF, ${language})`,
  certificateIssued: (day: string) => `Délivré le ${day}`,
  certificateCode: (code: string) => `Code de vérification\u00A0: ${code}`,
  certificateLanguages: { fr: 'français', en: 'anglais' } as Record<string, string>,
  verifierTitle: 'Vérification d’un certificat',
  verifierIntro: 'Cette page indique si un certificat délivré par l’université est authentique et toujours valable.',
  verifierValid: 'Certificat valable',
  verifierRevoked: 'Certificat révoqué\u00A0: il n’est plus valable',
  verifierNotFound: 'Aucun certificat ne correspond à ce code. Vérifiez le code imprimé sous le QR code.',
  verifierCode: 'Code',
  verifierKind: 'Document',
  verifierHolder: 'Titulaire',
  verifierYear: 'Année universitaire',
  verifierProgramme: 'Formation',
  verifierIssued: 'Délivré le',
  verifierRevokedAt: 'Révoqué le',
  verifierPrivacy: 'Pour protéger l’étudiant(e), seules ces informations sont affichées. Comparez-les avec le document qui vous a été remis.',
  doneMail: (email: string) =>
    `Un e-mail de synthèse vous est envoyé à ${email}. Il contient le récapitulatif de votre inscription, les coordonnées de votre scolarité et la procédure d’activation de votre espace numérique de travail (ENT) et de votre compte étudiant.`,
  doneMailNoAddress:
    'Un e-mail de synthèse vous est envoyé. Il contient le récapitulatif de votre inscription, les coordonnées de votre scolarité et la procédure d’activation de votre espace numérique de travail (ENT) et de votre compte étudiant.',
  paid: (amount: string) => `Payé : ${amount}`,
  paidAtOffice: (amount: string) => `Payé en scolarité : ${amount}`,
  exemptNothing: 'Rien à payer (exonération)',

  // Pay at office
  officeTitle: 'Paiement en scolarité',
  officeHeading: 'Votre dossier est enregistré : le paiement se fera en scolarité',
  officeText:
    'Votre demande de bourse est en cours de traitement par le CROUS. Le paiement se fera en scolarité, sur production des pièces justificatives (notification de bourse ou justificatif de la demande).',
  officeWarning: 'Attention : il ne faut pas vous reconnecter ultérieurement pour effectuer le paiement en ligne, votre inscription serait annulée.',
  officeAmount: 'Montant des droits, à régler en scolarité si votre bourse n’est pas accordée',
  verifyHeading: 'Votre dossier est enregistré : votre bourse doit être vérifiée',
  verifyText:
    'Vous avez déclaré une bourse accordée, que le service n’a pas pu confirmer auprès de la CVEC. Apportez (ou déposez) votre notification définitive de bourse du CROUS : dès qu’elle est vérifiée par la scolarité, votre inscription est terminée sans frais. Si la bourse n’est pas confirmée, vous serez prévenu par e-mail et pourrez payer en ligne.',

  // Help
  helpTitle: 'Aide',
  back: 'Retour',
  /** One short sentence for refusals whose full explanation is on the help page (section id). */
  shortErrors: {
    ine_no_ine_not_allowed: {
      text: 'Un INE n’est attribué automatiquement que si vous n’avez ni le baccalauréat français ni jamais été inscrit(e) dans une université française.',
      help: 'ine',
      link: 'Où trouver votre INE, et que faire si vous êtes bloqué(e)',
    },
    cvec_mismatch: { text: 'Ce certificat CVEC ne correspond pas à votre état civil.', help: 'cvec', link: 'Comment mettre en accord l’état civil de votre CVEC' },
    cvec_not_found: { text: 'Aucun certificat CVEC ne correspond à ce numéro et à votre nom.', help: 'cvec', link: 'Comment mettre en accord l’état civil de votre CVEC' },
  } as Record<string, { text: string; help: string; link: string }>,

  // Support
  supportTitle: 'Demande d’assistance',
  supportIntro: 'Pour toute question sur le fonctionnement de ce service d’inscription en ligne. Pour les questions pédagogiques ou les rendez-vous, contactez votre scolarité.',
  supportClosed: 'Le formulaire d’assistance n’est ouvert que pendant les périodes d’inscription.',
  lastName: 'Nom',
  firstName: 'Prénom',
  programmeField: 'Filière (formation)',
  programmeOther: 'Autre ou je ne sais pas',
  chooseProgramme: 'Choisissez votre formation',
  message: 'Votre message',
  messageHint: 'Décrivez votre question. N’indiquez pas votre numéro de carte bancaire.',
  send: 'Envoyer la demande',
  supportSent: 'Votre demande a été envoyée',
  supportReference: (id: string) => `Référence de votre demande : ${id}. Une réponse vous sera envoyée par e-mail.`,
  supportWho: (email: string) => `Votre demande est transmise à l’assistance (${email}).`,

  notFoundTitle: 'Page introuvable',
  notFoundText: 'Cette adresse ne correspond à aucune page du service.',

  // Withdrawal from the done page (functions/domain/dossier/withdrawal.ts decides; GET /api/dossier `withdrawalTerms` tells)
  withdrawHeading: 'Se désister',
  withdrawIntro: 'Vous renoncez à votre inscription pour cette année universitaire ? Vous pouvez vous désister en ligne.',
  withdrawStart: 'Me désister',
  withdrawConfirmHeading: 'Confirmer votre désistement',
  withdrawIfYouConfirm: 'Si vous confirmez :',
  withdrawEnds: 'votre inscription prend fin et vos certificats ne sont plus valables',
  withdrawRefundNow: (amount: string, retention: string) =>
    `vous êtes remboursé(e) de ${amount} (ce que vous avez payé, moins ${retention} retenus par l’université) : le remboursement part aussitôt sur la carte bancaire utilisée`,
  withdrawRefundOffice: (amount: string, retention: string) => `le service comptable vous rembourse ${amount} (ce que vous avez payé, moins ${retention} retenus par l’université)`,
  withdrawNoRefund: 'aucun remboursement n’est dû',
  withdrawRefundDecided: (amount: string, day: string) => `l’année universitaire a commencé le ${day} : la scolarité décide du remboursement, au plus ${amount}, et vous l’annonce par e-mail`,
  withdrawInstalments: 'les échéances qui n’ont pas encore été prélevées sont annulées',
  withdrawFinal: 'Ce choix est définitif.',
  withdrawReason: 'Motif de votre désistement',
  withdrawReasonHint: 'Par exemple : admission dans un autre établissement.',
  withdrawConfirm: 'Confirmer mon désistement',
  withdrawKeep: 'Annuler, je reste inscrit(e)',
};

export type Dict = typeof fr;

const en: Dict = {
  htmlLang: 'en',
  siteName: 'Administrative enrollment',
  skipLink: 'Skip to main content',
  mainMenu: 'Main menu',
  footerMenu: 'Useful links',
  switchTo: 'Français',
  switchToLang: 'fr',
  switchLabel: 'Passer en français',
  help: 'Help',
  support: 'Support',
  logout: 'Sign out',
  home: 'Home',
  titleSuffix: 'Administrative enrollment',
  errorPrefix: 'Error',
  errorSummaryTitle: 'There is a problem',
  networkError: 'The service is not responding. Check your Internet connection and try again; what you entered is kept.',
  optional: '(optional)',
  change: 'Change',
  reportError: 'Report an error',
  documents: 'Supporting documents',
  continue: 'Continue',
  saveContinue: 'Save and continue',
  previous: 'Previous step',
  notProvided: 'Not provided',
  colon: ': ',
  listSeparator: '; ',
  backTo: (page: string) => `Back to “${page}”`,
  a11yStatus: 'Accessibility: partially compliant',
  a11yTitle: 'Accessibility statement',

  sessionWarnTitle: 'Your session is about to expire',
  sessionWarnText: (time: string, minutes: number) => `Unless you do something, your session will expire at ${time} (in ${minutes} minutes). What you typed on this page is kept in this browser.`,
  extendSession: 'Extend my session',
  endSession: 'Sign me out',
  extendFailed: 'The session could not be extended. Check your Internet connection and try again.',
  draftsKept: (list: string) => `What you had typed without saving is kept in this browser and will be restored once you sign in again: ${list}.`,
  draftItem: (page: string, fields: string) => `page “${page}” (${fields})`,
  draftRestored: (fields: string) => `What you had typed without saving has been restored: ${fields}. Save it to keep it.`,

  homeTitle: 'Online administrative enrollment',
  homeIntro: 'This service lets you complete your administrative enrollment at the university after your admission: identity check, INE, situation, CVEC, programme, then payment of the fees.',
  statusOpen: 'The service is open.',
  statusOpenUntil: (date: string) => `The service is open until ${date}.`,
  statusClosed: 'The service is currently closed.',
  nextOpening: (date: string) => `Next opening: ${date}.`,
  start: 'Start or resume my enrollment',
  resume: 'Resume my enrollment',
  beforeStart: 'Before you start, have at hand:',
  needCvec: 'your CVEC payment or exemption certificate (except for continuing education, professionalisation contracts and incoming international exchange);',
  needIne: 'your INE, BEA or INES number;',
  needCard: 'your bank card (unless you hold a scholarship or are waiting for the CROUS decision).',
  dataKept: 'Everything you have already entered is kept.',
  homeHelp: 'A question? Read the help page.',

  closedTitle: 'Service closed',
  closedHeading: 'Online enrollment is closed',
  closedReopened: 'The service is open again.',
  closedHelp: 'The help page stays available while the service is closed.',
  closedEnrolled: 'Already enrolled? You can sign in to pay an instalment, follow a refund or download your certificates.',

  loginTitle: 'Sign in',
  loginIntro: 'Sign in with the identifier of your admission and your date of birth.',
  identifier: 'Identifier',
  identifierHint: 'Student number (8 digits), Parcoursup login (P followed by 9 digits) or Mon Master login: replace the CAND prefix with M3 (CANDxxxxxxxx becomes M3xxxxxxxx).',
  birthDate: 'Date of birth',
  birthDateHint: 'For example: 14 3 2008.',
  day: 'Day',
  month: 'Month',
  year: 'Year',
  dateParts: 'Enter the day, month and year as numbers, for example 14 3 2008.',
  signIn: 'Sign in',
  sessionExpired: 'Your session expired after a period without activity. Sign in again to resume: the steps you saved are kept.',
  loggedOut: 'You are signed out. What you had typed without saving has been erased from this browser.',

  progressLabel: 'Enrollment progress',
  stepOf: (n: number, total: number) => `Step ${n} of ${total}`,
  stepDone: '(done)',
  stepCurrent: '(current)',
  stepNames: {
    identity: 'Identity and contact details',
    ine: 'INE',
    situation: 'Situation',
    cvec: 'CVEC',
    programme: 'Programme',
    summary: 'Summary and submission',
  },

  civilStatus: 'Civil status',
  civilStatusNote: 'These details come from your admission and cannot be changed here. If they are wrong, contact support before continuing.',
  birthName: 'Birth name',
  usageName: 'Usual name',
  firstNames: 'First name(s)',
  contact: 'Contact details',
  email: 'Personal e-mail address',
  emailHint: 'The summary e-mail of your enrollment will be sent there.',
  phone: 'Phone',
  phoneHint: 'French number (06 12 34 56 78) or international number starting with + (+44 20 7946 0958).',
  address: 'Home address',
  termAddress: 'Term-time address',
  termDifferent: 'My term-time address is different',
  line1: 'Number and street',
  line2: 'Address line 2',
  postalCode: 'Postcode',
  city: 'Town or city',
  country: 'Country',
  identityConfirm: 'By continuing, you confirm that your civil status above is correct.',

  ineQuestion: 'Do you have an INE (or BEA/INES)?',
  ineYes: 'Yes, I have an INE, a BEA or an INES',
  ineNo: 'No, I have no INE',
  ine: 'INE, BEA or INES number',
  ineHint:
    '11 characters. You will find it on the school certificates issued by your high school or on your baccalauréat transcript (BEA/INES); the INE was assigned to you by the first university you enrolled in.',
  noIneIntro: 'A provisional INE is assigned automatically only if both of the following are true:',
  noFrenchBac: 'I do not hold the French baccalauréat',
  neverEnrolled: 'I have never enrolled in a French university',
  noIneStuck: 'You have no INE and are stuck? Send a support request: a provisional INE will be generated for you.',
  provisionalAssigned: (ine: string) => `Provisional INE assigned: ${ine}`,

  regime: 'Enrollment regime',
  regimes: regimeNames('en'),
  scholarship: 'Means-tested scholarship (CROUS)',
  scholarships: {
    none: 'I do not hold a scholarship',
    granted: 'My scholarship is granted (I have the notification)',
    pending: 'My scholarship application is being processed by the CROUS',
  },
  scholarshipPendingHint: 'In that case you do not pay online: you will pay at the scolarité office, on presentation of supporting documents.',
  scholarshipGrantedHint: 'You are exempt from the registration fees.',

  cvecNumber: 'CVEC certificate number',
  cvecHint: 'For example AIX6ABC12345: 3 letters, 1 digit, then 6 to 10 letters or digits. It is mandatory, whether the CVEC was paid or exempted.',
  cvecCivil: 'The civil status used on the CROUS website must be the same as in your application, matching your identity document.',
  cvecGet: 'No certificate yet? Get it on cvec.etudiant.gouv.fr.',
  cvecNotConcerned: (regime: string) => `Your enrollment regime (${regime}) is not concerned by the CVEC: there is nothing to enter.`,
  cvecConcernedNote: 'The CVEC concerns initial education, unfunded return to studies, apprenticeships, IFSI and CPGE students.',

  programmeIntro: 'Confirm the programme you were admitted to.',
  programme: 'Programme',
  component: 'Faculty or school',
  fees: 'Registration fees',
  feesExempt: {
    scholarship_granted: 'Exempt: scholarship holder',
    exchange_programme: 'Exempt: international exchange',
  },
  feesAtOffice: (amount: string) => `${amount}, to pay at the scolarité office (scholarship being processed)`,
  scolarite: 'Your scolarité office',
  scolariteNote: 'For questions about your studies and appointments, contact your scolarité office (not the online enrollment support).',
  confirmProgramme: 'Confirm this programme',
  saveReturnSummary: 'Save and return to the summary',
  backToSummary: 'Back to the summary without saving',

  summaryIntro: 'Check your details before submitting your file.',
  submitWarning: 'Once submitted, your file can no longer be changed online.',
  submit: 'Submit my file',
  ineLabel: 'INE',
  provisional: 'provisional',
  cvecNotRequired: 'Not asked for your regime',
  paymentTitle: 'Payment of the registration fees',
  submittedAwaiting: 'Your file is submitted. All that is left is to pay your registration fees by bank card.',
  amountDue: 'Amount to pay',
  planQuestion: 'How would you like to pay?',
  planFull: (amount: string) => `At once: ${amount}`,
  planInstalments: (parts: number) => `In ${parts} parts, at no extra cost`,
  planInstalmentsHint: 'Your card is saved for the later charges; you may pay what remains at any time.',
  planPart: (n: number, amount: string, day: string, now: boolean) => `Part ${n}: ${amount}, ${now ? 'today' : `on ${day}`}`,
  planPartState: (n: number, amount: string, day: string, state: string) => `Part ${n}: ${amount}, on ${day} — ${state}`,
  payChosen: 'Pay by card',
  payPartNow: 'Pay now',
  scheduleHeading: 'Your payment schedule',
  movementsHeading: 'Your payments and refunds',
  pay: (amount: string) => `Pay ${amount} by bank card`,
  payRedirectNote: 'You will be taken to the secure payment page of our payment provider.',
  paymentUnavailable: 'Online payment is temporarily unavailable. Try again in a few minutes.',
  cancelledDossier: 'Your enrollment has been cancelled. Contact your scolarité office.',
  withdrawalTitle: 'Withdrawal',
  withdrawnDossier: 'Your withdrawal is recorded: you are no longer enrolled for this academic year. Your certificates are no longer valid.',
  withdrawalRequested: 'Your withdrawal request is recorded. As the academic year has started, the scolarité office decides on any refund: you will receive an e-mail.',
  refundAmount: 'Refund',
  refundStatusLabel: 'Refund status',
  refundStatus: {
    requested: 'in progress',
    pending: 'in progress',
    succeeded: 'done',
    failed: 'failed: the scolarité office will contact you',
    office: "made by the university's accounting office (paid at the desk)",
    none: 'no refund',
  } as Record<string, string>,

  returnTitle: 'Payment confirmation',
  returnWaiting: 'We are waiting for your payment to be confirmed. Do not close this page and do not pay a second time.',
  returnSlow:
    'The confirmation is taking longer than usual. You have nothing to do again and must not pay a second time: your enrollment will be complete as soon as it is confirmed, and you will receive the summary e-mail.',
  checkAgain: 'Check again',
  cancelTitle: 'Payment cancelled',
  cancelText: 'The payment was cancelled: nothing was charged. Your submitted file is kept.',
  retryPayment: 'Resume payment',

  doneTitle: 'Enrollment complete',
  doneHeading: 'Your administrative enrollment is complete',
  certificatesHeading: 'Your certificates',
  certificatesIntro: 'Your certificate of enrollment and your payment (or exemption) receipt are PDF files. Anyone you give them to can check them online with the code and QR code they carry.',
  certificatesPending: 'Your certificates are being prepared. Come back to this page in a moment.',
  certificateKinds: { enrollment: 'Certificate of enrollment', payment: 'Payment receipt' },
  certificateDownload: (kind: string, language: string) => `${kind} (PDF, ${language})`,
  certificateIssued: (day: string) => `Issued on ${day}`,
  certificateCode: (code: string) => `Verification code: ${code}`,
  certificateLanguages: { fr: 'French', en: 'English' },
  verifierTitle: 'Certificate verification',
  verifierIntro: 'This page tells whether a certificate issued by the university is genuine and still valid.',
  verifierValid: 'Valid certificate',
  verifierRevoked: 'Revoked certificate: it is no longer valid',
  verifierNotFound: 'No certificate matches this code. Check the code printed under the QR code.',
  verifierCode: 'Code',
  verifierKind: 'Document',
  verifierHolder: 'Holder',
  verifierYear: 'Academic year',
  verifierProgramme: 'Programme',
  verifierIssued: 'Issued on',
  verifierRevokedAt: 'Revoked on',
  verifierPrivacy: 'To protect the student, only this information is shown. Compare it with the document you were given.',
  doneMail: (email: string) =>
    `A summary e-mail is being sent to ${email}. It contains the summary of your enrollment, the contact details of your scolarité office and how to activate your digital workspace (ENT) and student account.`,
  doneMailNoAddress:
    'A summary e-mail is being sent to you. It contains the summary of your enrollment, the contact details of your scolarité office and how to activate your digital workspace (ENT) and student account.',
  paid: (amount: string) => `Paid: ${amount}`,
  paidAtOffice: (amount: string) => `Paid at the scolarité office: ${amount}`,
  exemptNothing: 'Nothing to pay (exempt)',

  officeTitle: 'Payment at the scolarité office',
  officeHeading: 'Your file is recorded: you will pay at the scolarité office',
  officeText:
    'Your scholarship application is being processed by the CROUS. You will pay at the scolarité office, on presentation of supporting documents (scholarship notification or proof of application).',
  officeWarning: 'Important: do not log in again later to pay online, your enrollment would be cancelled.',
  officeAmount: 'Registration fees, to pay at the scolarité office if your scholarship is not granted',
  verifyHeading: 'Your file is recorded: your scholarship must be checked',
  verifyText:
    'You declared a granted scholarship, which the service could not confirm with the CVEC. Bring (or upload) your final CROUS scholarship notification: once the scolarité office has checked it, your enrollment is complete at no cost. If the scholarship is not confirmed, you will be told by e-mail and may pay online.',

  helpTitle: 'Help',
  back: 'Back',
  shortErrors: {
    ine_no_ine_not_allowed: {
      text: 'An INE is only assigned automatically if you neither hold the French baccalauréat nor ever enrolled in a French university.',
      help: 'ine',
      link: 'Where to find your INE, and what to do if you are stuck',
    },
    cvec_mismatch: { text: 'This CVEC certificate does not match your civil status.', help: 'cvec', link: 'How to make the civil status of your CVEC match' },
    cvec_not_found: { text: 'No CVEC certificate matches this number and your surname.', help: 'cvec', link: 'How to make the civil status of your CVEC match' },
  },

  supportTitle: 'Support request',
  supportIntro: 'For any question about how this online enrollment service works. For questions about your studies or appointments, contact your scolarité office.',
  supportClosed: 'The support form is only open during enrollment periods.',
  lastName: 'Surname',
  firstName: 'First name',
  programmeField: 'Programme',
  programmeOther: 'Other or I do not know',
  chooseProgramme: 'Choose your programme',
  message: 'Your message',
  messageHint: 'Describe your question. Do not include your bank card number.',
  send: 'Send the request',
  supportSent: 'Your request has been sent',
  supportReference: (id: string) => `Reference of your request: ${id}. You will get an answer by e-mail.`,
  supportWho: (email: string) => `Your request goes to the support team (${email}).`,

  notFoundTitle: 'Page not found',
  notFoundText: 'This address does not match any page of the service.',

  withdrawHeading: 'Withdraw',
  withdrawIntro: 'Giving up your enrollment for this academic year? You can withdraw online.',
  withdrawStart: 'Withdraw',
  withdrawConfirmHeading: 'Confirm your withdrawal',
  withdrawIfYouConfirm: 'If you confirm:',
  withdrawEnds: 'your enrollment ends and your certificates are no longer valid',
  withdrawRefundNow: (amount: string, retention: string) =>
    `you are refunded ${amount} (what you paid, less ${retention} kept by the university): the refund goes at once to the bank card you paid with`,
  withdrawRefundOffice: (amount: string, retention: string) => `the university's accounting office refunds you ${amount} (what you paid, less ${retention} kept by the university)`,
  withdrawNoRefund: 'nothing is owed back to you',
  withdrawRefundDecided: (amount: string, day: string) => `the academic year started on ${day}: the scolarité office decides on a refund, at most ${amount}, and tells you by e-mail`,
  withdrawInstalments: 'the parts not charged yet are cancelled',
  withdrawFinal: 'This choice is final.',
  withdrawReason: 'Why are you withdrawing?',
  withdrawReasonHint: 'For example: admitted to another university.',
  withdrawConfirm: 'Confirm my withdrawal',
  withdrawKeep: 'Cancel, I stay enrolled',
};

/** Both languages' texts (test/unit/web-typography.test.ts checks their typography, test/unit/cvec-prose.test.ts their CVEC prose). */
export const dictionaries: Readonly<Record<Lang, Dict>> = { fr, en };

/** French unless the student chose English (remembered on this device). */
export function currentLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

export function t(): Dict {
  return dictionaries[currentLang()];
}

const locale = (lang: Lang) => LOCALES[lang];

export function formatMoney(cents: number, lang: Lang = currentLang()): string {
  return formatEuros(cents, lang);
}

/** A calendar day `YYYY-MM-DD`, e.g. "14 mars 2008". */
export function formatDay(isoDay: string, lang: Lang = currentLang()): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  if (!y || !m || !d) return isoDay;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The day of an instant in the service's time zone, e.g. "5 août 2026" (not the UTC day of its ISO text). */
export function formatInstantDay(iso: string, timeZone: string, lang: Lang = currentLang()): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone }).format(new Date(iso));
}

/** A time of day as people write it: "9 h", "23 h 59" in French, "09:00" in English. */
export function formatClock(date: Date, timeZone: string | undefined, lang: Lang = currentLang()): string {
  const parts = new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(date);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '0';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  if (lang === 'en') return `${hour}:${minute}`;
  return minute === '00' ? `${Number(hour)}\u00A0h` : `${Number(hour)}\u00A0h\u00A0${minute}`;
}

/** An instant in the service's time zone, e.g. "jeudi 16 juillet 2026 à 23 h 59". */
export function formatInstant(iso: string, timeZone: string, lang: Lang = currentLang()): string {
  const date = new Date(iso);
  const day = new Intl.DateTimeFormat(locale(lang), { dateStyle: 'full', timeZone }).format(date);
  return lang === 'en' ? `${day} at ${formatClock(date, timeZone, lang)}` : `${day} à ${formatClock(date, timeZone, lang)}`;
}

/**
 * French text from the API (refusals, the service's state) with the pages' typography: the
 * shared field messages already have it (functions/domain/messages/fields.ts `typo`); the others
 * get it here, and their times read "9 h" rather than "09:00". English text is left alone.
 */
export function apiText(text: string, lang: Lang = currentLang()): string {
  if (lang !== 'fr') return text;
  return text
    .replace(/(\d{1,2}):(\d{2})\b/g, (_, h: string, m: string) => (m === '00' ? `${Number(h)}\u00A0h` : `${Number(h)}\u00A0h\u00A0${m}`))
    .replace(/'/g, '\u2019')
    .replace(/ ([;!?])/g, '\u202F$1')
    .replace(/ :/g, '\u00A0:')
    .replace(/« /g, '«\u00A0')
    .replace(/ »/g, '\u00A0»');
}

/**
 * A stored phone number (E.164, functions/domain/contacts.ts) as people write it: French numbers
 * (metropolitan and overseas) in pairs after a 0, "06 12 34 56 78"; others with their country
 * code apart, "+44 2079460958" (grouping those needs each country's numbering plan).
 */
export function formatPhone(e164: string): string {
  const french = /^\+(?:33|262|590|594|596)(\d{9})$/.exec(e164);
  if (french) return `0${french[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  const international = /^\+(\d+)$/.exec(e164);
  if (!international) return e164;
  const digits = international[1]!;
  const cc = COUNTRY_CODES.find((c) => digits.startsWith(c)) ?? digits.slice(0, 3);
  return `+${cc} ${digits.slice(cc.length)}`;
}

/** ITU country codes of one and two digits (prefix-free: every other code has three). */
const COUNTRY_CODES = [
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
];

/**
 * French words left in English text (names of French institutions and offices), marked
 * lang="fr" on English pages so screen readers pronounce them in French (WCAG 3.1.2).
 */
export const FRENCH_TERMS: readonly string[] = ['Défenseur des droits', 'Libre réponse', 'scolarité', 'baccalauréat', 'ACCUEIL', 'Mon Master', 'Parcoursup'];

export function countryName(code: string, lang: Lang = currentLang()): string {
  try {
    return new Intl.DisplayNames([locale(lang)], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
