/**
 * The help page's text: the university's help page for web enrollment
 * (/work/shared/seed/aide-inscription.txt), in French as published and in English. The
 * assistance address comes from the stage's configuration (`/config.json`). Its "voir la vidéo"
 * (how to find one's identifier) is replaced by the rule itself, written out.
 */
import type { Lang } from '../i18n';

export interface HelpSection {
  title: string;
  paragraphs: (string | { list: string[] })[];
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
}

const fr: HelpText = {
  intro: 'Cliquer sur Retour (en bas de la page) pour sortir de l’aide.',
  assistanceTitle: 'Assistance',
  assistanceBefore:
    'Pour toute question relative au fonctionnement de ce service numérique d’inscription administrative, vous pouvez envoyer un mail en précisant VOS IDENTIFIANT, NOM et PRÉNOM et en indiquant la filière vous concernant à l’adresse suivante :',
  assistanceWhen:
    'Cette adresse est opérationnelle en période d’inscription administrative par le web uniquement : de fin juin à mi-juillet et de fin août à la mi-septembre (les mails ne sont pas traités en dehors de ces périodes).',
  scolarite:
    'Pour les questions d’ordre pédagogique ou de prise de rendez-vous : vous trouverez dans les contacts et sur le mail de synthèse de votre inscription les coordonnées du service de scolarité dont vous dépendez (n’utilisez pas l’adresse d’assistance à l’inscription administrative par le web ci-dessus).',
  supportForm: 'Vous pouvez aussi utiliser le formulaire de demande d’assistance.',
  sections: [
    {
      title: 'Comment définir mon identifiant de connexion',
      paragraphs: [
        'Votre identifiant est celui de votre admission :',
        {
          list: [
            'numéro étudiant (8 chiffres) si vous êtes déjà inscrit(e) à l’université ;',
            'identifiant Parcoursup : la lettre P suivie de 9 chiffres ;',
            'identifiant Mon Master : remplacer le préfixe CAND par M3 (exemple : CANDxxxxxxxx ⇒ M3xxxxxxxx).',
          ],
        },
        'Les espaces et les minuscules sont acceptés. Le second élément de connexion est votre date de naissance.',
      ],
    },
    {
      title: 'Ce qu’il vous faut pour vous inscrire',
      paragraphs: ['Pour procéder à votre inscription en ligne, vous devez avoir en votre possession les informations suivantes.'],
    },
    {
      title: 'Votre certificat de paiement ou d’exonération de la CVEC',
      paragraphs: [
        'Pour mettre à jour votre situation au regard de la CVEC (Contribution Vie Étudiante et de Campus) : la saisie du numéro du certificat CVEC est OBLIGATOIRE (que la CVEC soit payée ou exonérée). L’état civil utilisé sur le site du CROUS doit être le même que celui utilisé sur l’outil de candidature, en conformité avec votre pièce d’identité.',
        'La CVEC concerne les étudiants en formation initiale, les étudiants en reprise d’études non financées, les étudiants en contrat d’apprentissage, les élèves des IFSI et les élèves de CPGE.',
        'La CVEC ne concerne pas les stagiaires de formation continue, les étudiants en contrat de professionnalisation et les étudiants en échange international ACCUEIL.',
      ],
    },
    {
      title: 'BEA / INE / INES',
      paragraphs: [
        'Vous trouverez le BEA/INES sur les certificats de scolarité établis par votre lycée ou sur le relevé des notes du baccalauréat. L’INE vous a été attribué par la première université dans laquelle vous avez été inscrit(e).',
        'Si vous n’êtes pas titulaire du bac et si vous n’avez jamais été inscrit(e) en université française, un INE vous sera attribué par l’application numérique. Si vous ne possédez pas d’INE et que vous êtes bloqué(e), adressez-vous à l’assistance en ligne pour qu’un INE provisoire soit généré manuellement.',
      ],
    },
    {
      title: 'Votre carte bancaire',
      paragraphs: [
        'Le paiement s’effectue en ligne, sauf pour les étudiants boursiers en attente du traitement de leur dossier par le CROUS. Dans ce cas, le paiement se fera en scolarité sur production des pièces justificatives. Attention : il ne faut pas vous reconnecter ultérieurement pour effectuer le paiement, votre inscription sera annulée.',
      ],
    },
  ],
  afterTitle: 'Après votre inscription',
  after: 'Après réalisation de votre inscription en ligne, vous recevrez un mail vous communiquant la procédure d’activation de votre espace numérique de travail et de votre compte étudiant.',
};

const en: HelpText = {
  intro: 'Click Back (at the bottom of the page) to leave the help page.',
  assistanceTitle: 'Support',
  assistanceBefore:
    'For any question about how this online administrative enrollment service works, you can send a mail giving YOUR IDENTIFIER, SURNAME and FIRST NAME and your programme to the following address:',
  assistanceWhen:
    'This address is staffed during the online enrollment periods only: from late June to mid-July and from late August to mid-September (mails are not processed outside these periods).',
  scolarite:
    'For questions about your studies or to make an appointment: the contact details of your scolarité office are in the contacts and in the summary mail of your enrollment (do not use the online enrollment support address above).',
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
    },
    {
      title: 'Your CVEC payment or exemption certificate',
      paragraphs: [
        'To record your situation regarding the CVEC (student and campus life contribution): entering the CVEC certificate number is MANDATORY (whether the CVEC was paid or exempted). The civil status used on the CROUS website must be the same as the one used in the application tool, matching your identity document.',
        'The CVEC concerns students in initial education, students resuming unfunded studies, apprentices, nursing school (IFSI) students and preparatory class (CPGE) students.',
        'The CVEC does not concern continuing education trainees, students on a professionalisation contract and incoming international exchange (ACCUEIL) students.',
      ],
    },
    {
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
  afterTitle: 'After your enrollment',
  after: 'Once your online enrollment is complete, you will receive a mail explaining how to activate your digital workspace and your student account.',
};

export const helpText: Record<Lang, HelpText> = { fr, en };
