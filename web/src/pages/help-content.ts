/**
 * The help page's text: the university's help page for web enrollment
 * (/work/shared/seed/aide-inscription.txt), in French as published (in vouvoiement, with French
 * typography) and in English; and the accessibility statement. The assistance address comes from
 * the stage's configuration (`/config.json`). Its "voir la vidéo" (how to find one's identifier)
 * is replaced by the rule itself, written out. Fetched as JSON by the pages, so this text does not
 * weigh on the script's budget.
 */
import type { Lang } from '../i18n';

export interface HelpSection {
  /** The anchor other pages link to (`/aide#cvec`), for the sections they point at. */
  id?: string;
  title: string;
  paragraphs: (string | { list: string[] })[];
  /** Sections under this one (h3 under its h2). */
  subsections?: HelpSection[];
}

/** One part of the accessibility statement: a heading, then paragraphs, lists and links. */
export interface StatementSection {
  title: string;
  paragraphs: (string | { list: string[] } | { links: { label: string; href: string }[] })[];
}

/**
 * The accessibility statement (loi n° 2005-102 art. 47, décret n° 2019-768, the RGAA 4.1 model
 * statement). Its conformity status is the footer's (web/src/i18n.ts `a11yStatus`).
 */
export interface Statement {
  intro: string;
  sections: StatementSection[];
  contactTitle: string;
  /** Before the assistance address. */
  contact: string;
  /** After it, before the support form link. */
  contactForm: string;
}

export interface HelpText {
  intro: string;
  assistanceTitle: string;
  assistanceBefore: string;
  assistanceWhen: string;
  scolarite: string;
  supportForm: string;
  sections: HelpSection[];
  afterTitle: string;
  after: string;
  statement: Statement;
}

const DEFENSEUR_FORM = 'https://formulaire.defenseurdesdroits.fr/';
const DEFENSEUR_DELEGATES = 'https://www.defenseurdesdroits.fr/saisir/delegues';

const fr: HelpText = {
  intro: 'Cliquez sur le lien « Retour » en bas de la page pour sortir de l’aide et revenir où vous étiez.',
  assistanceTitle: 'Assistance',
  assistanceBefore:
    'Pour toute question relative au fonctionnement de ce service numérique d’inscription administrative, vous pouvez envoyer un e-mail en précisant VOS IDENTIFIANT, NOM et PRÉNOM et en indiquant la filière vous concernant à l’adresse suivante :',
  assistanceWhen:
    'Cette adresse est opérationnelle en période d’inscription administrative par le web uniquement : de fin juin à mi-juillet et de fin août à la mi-septembre (les e-mails ne sont pas traités en dehors de ces périodes).',
  scolarite:
    'Pour les questions d’ordre pédagogique ou de prise de rendez-vous : vous trouverez dans les contacts et dans l’e-mail de synthèse de votre inscription les coordonnées du service de scolarité dont vous dépendez (n’utilisez pas l’adresse d’assistance à l’inscription administrative par le web ci-dessus).',
  supportForm: 'Vous pouvez aussi utiliser le formulaire de demande d’assistance.',
  sections: [
    {
      title: 'Comment trouver mon identifiant de connexion',
      paragraphs: [
        'Votre identifiant est celui de votre admission :',
        {
          list: [
            'numéro étudiant (8 chiffres) si vous êtes déjà inscrit(e) à l’université ;',
            'identifiant Parcoursup : la lettre P suivie de 9 chiffres ;',
            'identifiant Mon Master : remplacez le préfixe CAND par M3 (exemple : CANDxxxxxxxx ⇒ M3xxxxxxxx).',
          ],
        },
        'Les espaces et les minuscules sont acceptés. Le second élément de connexion est votre date de naissance.',
      ],
    },
    {
      title: 'Ce qu’il vous faut pour vous inscrire',
      paragraphs: ['Pour procéder à votre inscription en ligne, vous devez avoir en votre possession les informations suivantes.'],
      subsections: [
        {
          id: 'cvec',
          title: 'Votre certificat de paiement ou d’exonération de la CVEC',
          paragraphs: [
            'Pour mettre à jour votre situation au regard de la CVEC (Contribution Vie Étudiante et de Campus) : la saisie du numéro du certificat CVEC est OBLIGATOIRE (que la CVEC soit payée ou exonérée). L’état civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l’outil de candidature, en conformité avec votre pièce d’identité.',
            'Si le service vous indique que votre certificat ne correspond pas à votre état civil : corrigez votre état civil sur le site cvec.etudiant.gouv.fr pour qu’il soit exactement celui de votre pièce d’identité et de votre candidature, puis saisissez à nouveau le numéro.',
            'La CVEC concerne les étudiants en formation initiale, les étudiants en reprise d’études non financées, les étudiants en contrat d’apprentissage, les élèves des IFSI et les élèves de CPGE.',
            'La CVEC ne concerne pas les stagiaires de formation continue, les étudiants en contrat de professionnalisation et les étudiants en échange international ACCUEIL.',
          ],
        },
        {
          id: 'ine',
          title: 'BEA / INE / INES',
          paragraphs: [
            'Vous trouverez le BEA/INES sur les certificats de scolarité établis par votre lycée ou sur le relevé des notes du baccalauréat. L’INE vous a été attribué par la première université dans laquelle vous avez été inscrit(e).',
            'Si vous n’êtes pas titulaire du bac et si vous n’avez jamais été inscrit(e) en université française, un INE vous sera attribué par l’application numérique. Si vous ne possédez pas d’INE et que vous êtes bloqué(e), adressez-vous à l’assistance en ligne pour qu’un INE provisoire soit généré manuellement.',
          ],
        },
        {
          title: 'Votre carte bancaire',
          paragraphs: [
            'Le paiement s’effectue en ligne, sauf pour les étudiants boursiers en attente du traitement de leur dossier par le CROUS. Dans ce cas, le paiement se fera en scolarité sur production des pièces justificatives. Attention : il ne faut pas vous reconnecter ultérieurement pour effectuer le paiement, votre inscription sera annulée.',
          ],
        },
      ],
    },
  ],
  afterTitle: 'Après votre inscription',
  after: 'Après réalisation de votre inscription en ligne, vous recevrez un e-mail vous communiquant la procédure d’activation de votre espace numérique de travail et de votre compte étudiant.',
  statement: {
    intro:
      'L’université s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d’accessibilité s’applique au service d’inscription administrative en ligne.',
    sections: [
      {
        title: 'État de conformité',
        paragraphs: [
          'Le service d’inscription administrative en ligne est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en raison des non-conformités et des contenus énumérés ci-dessous.',
        ],
      },
      {
        title: 'Résultats des tests',
        paragraphs: [
          'Un audit interne a porté sur toutes les pages du parcours (accueil, connexion, les cinq étapes, récapitulatif, paiement, fin d’inscription, aide, assistance, service fermé) : navigation au seul clavier, restitution par lecteur d’écran, affichage sur 320 pixels de large et zoom à 200 %, relecture des textes. Chaque version est en outre vérifiée automatiquement avec axe-core, sans aucune erreur grave ou critique.',
          'Le taux de conformité aux critères du RGAA sera publié à l’issue d’un audit complet de ces critères, qui reste à réaliser.',
        ],
      },
      {
        title: 'Contenus non accessibles',
        paragraphs: [
          'Non-conformités connues :',
          {
            list: [
              'tous les critères du RGAA n’ont pas encore été vérifiés un par un : des défauts non relevés par l’audit interne peuvent subsister, notamment avec les lecteurs d’écran des téléphones (VoiceOver, TalkBack) ;',
              'certains textes d’aide reprennent ceux de la page d’aide de l’université et contiennent des mots entièrement en majuscules.',
            ],
          },
          'Contenu non soumis à l’obligation d’accessibilité : la page de paiement par carte bancaire est celle de notre prestataire de paiement (Stripe Checkout), un contenu tiers que l’université ne développe ni ne contrôle.',
          'Si un contenu vous est inaccessible, contactez l’assistance (ci-dessous) : elle vous orientera vers une autre façon de vous inscrire, par exemple auprès de votre service de scolarité.',
        ],
      },
      {
        title: 'Établissement de cette déclaration',
        paragraphs: [
          'Cette déclaration a été établie le 1er décembre 2026.',
          {
            list: ['technologies utilisées : HTML, CSS, JavaScript, WAI-ARIA ;', 'environnement de test : Chromium (Debian) avec axe-core, au clavier, en affichage d’ordinateur et de téléphone.'],
          },
        ],
      },
      {
        title: 'Voies de recours',
        paragraphs: [
          'Si vous avez signalé à l’université un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service, et que vous n’avez pas obtenu de réponse satisfaisante, vous avez le droit de saisir le Défenseur des droits :',
          {
            links: [
              { label: 'écrire un message au Défenseur des droits (formulaire en ligne)', href: DEFENSEUR_FORM },
              { label: 'contacter le délégué du Défenseur des droits dans votre région', href: DEFENSEUR_DELEGATES },
            ],
          },
          'ou envoyer un courrier par la poste (gratuit, ne mettez pas de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.',
        ],
      },
    ],
    contactTitle: 'Retour d’information et contact',
    contact: 'Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous pour être orienté(e) vers une alternative accessible ou obtenir le contenu sous une autre forme :',
    contactForm: 'Vous pouvez aussi utiliser le formulaire de demande d’assistance.',
  },
};

const en: HelpText = {
  intro: 'Use the “Back” link at the bottom of the page to leave the help page and return to where you were.',
  assistanceTitle: 'Support',
  assistanceBefore:
    'For any question about how this online administrative enrollment service works, you can send an e-mail giving YOUR IDENTIFIER, SURNAME and FIRST NAME and your programme to the following address:',
  assistanceWhen:
    'This address is staffed during the online enrollment periods only: from late June to mid-July and from late August to mid-September (e-mails are not processed outside these periods).',
  scolarite:
    'For questions about your studies or to make an appointment: the contact details of your scolarité office are in the contacts and in the summary e-mail of your enrollment (do not use the online enrollment support address above).',
  supportForm: 'You can also use the support request form.',
  sections: [
    {
      title: 'How to find my login identifier',
      paragraphs: [
        'Your identifier is the one of your admission:',
        {
          list: [
            'student number (8 digits) if you are already enrolled at the university;',
            'Parcoursup login: the letter P followed by 9 digits;',
            'Mon Master login: replace the CAND prefix with M3 (example: CANDxxxxxxxx ⇒ M3xxxxxxxx).',
          ],
        },
        'Spaces and lower case are accepted. The second sign-in element is your date of birth.',
      ],
    },
    {
      title: 'What you need to enroll',
      paragraphs: ['To enroll online, you need the following information.'],
      subsections: [
        {
          id: 'cvec',
          title: 'Your CVEC payment or exemption certificate',
          paragraphs: [
            'To record your situation regarding the CVEC (student and campus life contribution): entering the CVEC certificate number is MANDATORY (whether the CVEC was paid or exempted). The civil status used on the CROUS website must be the same as the one used in the application tool, matching your identity document.',
            'If the service tells you that your certificate does not match your civil status: correct your civil status on cvec.etudiant.gouv.fr so that it is exactly the one on your identity document and in your application, then enter the number again.',
            'The CVEC concerns students in initial education, students resuming unfunded studies, apprentices, nursing school (IFSI) students and preparatory class (CPGE) students.',
            'The CVEC does not concern continuing education trainees, students on a professionalisation contract and incoming international exchange (ACCUEIL) students.',
          ],
        },
        {
          id: 'ine',
          title: 'BEA / INE / INES',
          paragraphs: [
            'You will find the BEA/INES on the school certificates issued by your high school or on your baccalauréat transcript. The INE was assigned to you by the first university you enrolled in.',
            'If you do not hold the baccalauréat and have never enrolled in a French university, the online service will assign you an INE. If you have no INE and are stuck, contact online support so that a provisional INE is generated by hand.',
          ],
        },
        {
          title: 'Your bank card',
          paragraphs: [
            'Payment is made online, except for scholarship students whose file is still being processed by the CROUS. They will pay at the scolarité office on presentation of supporting documents. Important: do not log in again later to pay, your enrollment would be cancelled.',
          ],
        },
      ],
    },
  ],
  afterTitle: 'After your enrollment',
  after: 'Once your online enrollment is complete, you will receive an e-mail explaining how to activate your digital workspace and your student account.',
  statement: {
    intro:
      'The university is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005. This accessibility statement applies to the online administrative enrollment service.',
    sections: [
      {
        title: 'Compliance status',
        paragraphs: [
          'The online administrative enrollment service is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances and the content listed below.',
        ],
      },
      {
        title: 'Test results',
        paragraphs: [
          'An internal audit covered every page of the journey (home, sign-in, the five steps, summary, payment, enrollment complete, help, support, service closed): keyboard-only use, screen reader output, display at 320 pixels wide and 200% zoom, proofreading. Every version is also checked automatically with axe-core, with no serious or critical error.',
          'The rate of compliance with the RGAA criteria will be published after a full audit of those criteria, which is still to be carried out.',
        ],
      },
      {
        title: 'Non-accessible content',
        paragraphs: [
          'Known non-compliances:',
          {
            list: [
              'not every RGAA criterion has been checked one by one yet: defects the internal audit did not find may remain, in particular with phone screen readers (VoiceOver, TalkBack);',
              'some help texts repeat those of the university’s help page and contain words written entirely in capitals.',
            ],
          },
          'Content exempt from the accessibility obligation: the card payment page is the one of our payment provider (Stripe Checkout), third-party content the university neither develops nor controls.',
          'If some content is inaccessible to you, contact support (below): they will direct you to another way to enroll, for example at your scolarité office.',
        ],
      },
      {
        title: 'Preparation of this statement',
        paragraphs: [
          'This statement was drawn up on 1 December 2026.',
          {
            list: ['technologies used: HTML, CSS, JavaScript, WAI-ARIA;', 'test environment: Chromium (Debian) with axe-core, keyboard only, at computer and phone sizes.'],
          },
        ],
      },
      {
        title: 'Enforcement procedure',
        paragraphs: [
          'If you have reported to the university an accessibility defect that prevents you from accessing content or a service, and you did not get a satisfactory answer, you have the right to complain to the Défenseur des droits (the French rights ombudsman):',
          {
            links: [
              { label: 'write to the Défenseur des droits (online form, in French)', href: DEFENSEUR_FORM },
              { label: 'contact the Défenseur des droits delegate in your region (in French)', href: DEFENSEUR_DELEGATES },
            ],
          },
          'or send a letter by post (free of charge, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07, France.',
        ],
      },
    ],
    contactTitle: 'Feedback and contact',
    contact: 'If you cannot access some content or a service, write to us to be directed to an accessible alternative or to get the content in another form:',
    contactForm: 'You can also use the support request form.',
  },
};

export const helpText: Record<Lang, HelpText> = { fr, en };
