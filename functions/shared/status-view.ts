import { formatInstant } from '../domain/labels';
import { errorMessage, type Lang } from '../domain/messages/catalogue';
import { toZonedIso, windowJson, type ServiceState } from '../domain/windows';
import type { StatusView } from './contracts';
import { currentStage } from './stage';

const reasonText: Record<Exclude<ServiceState['reason'], 'forced_closed'>, Record<Lang, string>> = {
  window_open: { fr: "Le service d'inscription est ouvert.", en: 'Enrollment is open.' },
  between_windows: { fr: "Le service d'inscription est fermé entre deux périodes d'inscription.", en: 'Enrollment is closed between two enrollment periods.' },
  forced_open: { fr: "Le service d'inscription est ouvert exceptionnellement.", en: 'Enrollment is exceptionally open.' },
};

/** API.md `GET /api/status`: times as ISO 8601 with the Paris offset. */
export function statusView(state: ServiceState, lang: Lang): StatusView {
  const { timeZone } = currentStage().calendar;
  return {
    open: state.open,
    reason: state.reason,
    // A forced closure says what the closed-service error says (looked up on use: the catalogue is unpacked on its first lookup).
    message: state.reason === 'forced_closed' ? errorMessage('SERVICE_CLOSED_NO_DATE', lang) : reasonText[state.reason][lang],
    window: windowJson(state.window, timeZone),
    nextOpening: state.nextOpening ? toZonedIso(state.nextOpening, timeZone) : null,
    nextOpeningText: state.nextOpening ? formatInstant(state.nextOpening, lang, timeZone, 'full') : null,
    supportOpen: state.supportOpen,
    academicYear: state.academicYear,
    timeZone,
  };
}
