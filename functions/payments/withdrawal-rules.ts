import { withdrawalRules } from '../../config/catalogue';
import type { WithdrawalRules } from '../domain/dossier';
import { currentStage } from '../shared/stage';

/** The withdrawal rules (config/catalogue.ts) in the university's time zone (the stage's calendar). */
export const currentWithdrawalRules = (): WithdrawalRules => ({ ...withdrawalRules, timeZone: currentStage().calendar.timeZone });
