/**
 * The session timeout, announced (WCAG 2.2.1 Timing Adjustable): a session lapses after an idle
 * period (functions/shared/tokens.ts); `WARN_BEFORE_MS` before that, a modal `alertdialog` says
 * when, and "Prolonger ma session" renews the token with one read of the dossier (every student
 * answer carries a renewed token: functions/shared/http.ts). Escape extends too, as closing the
 * warning is a sign the student is there. When the session does lapse, the app's expiry handler
 * runs (main.ts): unsaved fields are already kept (forms.ts `keepDraft`).
 *
 * Timers follow this browser's clock; a timer delayed in a background tab is caught up on the
 * tab's return, so the dialog and the expiry are never late by more than that.
 */
import { getDossier, Redirected } from './api';
import { h } from './dom';
import { formatClock, t } from './i18n';
import { session } from './session';

export const WARN_BEFORE_MS = 5 * 60_000;

export function startSessionTimer(o: { expired(): void; signOut(): void }): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dialog: HTMLDialogElement | undefined;
  let returnFocus: HTMLElement | null = null;

  function close(): void {
    if (!dialog) return;
    const d = dialog;
    dialog = undefined;
    if (d.open) d.close();
    d.remove();
    if (returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  }

  async function extend(button: HTMLButtonElement, problem: HTMLElement): Promise<void> {
    button.disabled = true;
    problem.hidden = true;
    try {
      await getDossier(); // the answer renews the token: the token listener reschedules and closes
    } catch (err) {
      if (err instanceof Redirected) return close();
      problem.hidden = false;
      problem.textContent = t().extendFailed;
    } finally {
      button.disabled = false;
    }
  }

  function warn(deadline: number): void {
    if (dialog) return;
    const tr = t();
    const minutes = Math.max(1, Math.round((deadline - Date.now()) / 60_000));
    const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const extendButton = h('button', { class: 'button', type: 'button', id: 'session-extend' }, tr.extendSession);
    const signOut = h('button', { class: 'button button--secondary', type: 'button', id: 'session-end' }, tr.endSession);
    dialog = h(
      'dialog',
      { class: 'session-dialog', id: 'session-dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'session-dialog-title', 'aria-describedby': 'session-dialog-text' },
      h('h2', { id: 'session-dialog-title' }, tr.sessionWarnTitle),
      h('p', { id: 'session-dialog-text' }, tr.sessionWarnText(formatClock(new Date(deadline), undefined), minutes)),
      problem,
      h('div', { class: 'actions' }, extendButton, signOut),
    );
    extendButton.addEventListener('click', () => void extend(extendButton, problem));
    signOut.addEventListener('click', () => {
      close();
      o.signOut();
    });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      void extend(extendButton, problem);
    });
    returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.body.append(dialog);
    dialog.showModal();
    extendButton.focus();
  }

  function check(): void {
    clearTimeout(timer);
    const deadline = session.expiresAt();
    if (deadline === null) return close();
    const now = Date.now();
    if (now >= deadline) {
      close();
      o.expired();
      return;
    }
    if (now >= deadline - WARN_BEFORE_MS) warn(deadline);
    else close();
    const next = now < deadline - WARN_BEFORE_MS ? deadline - WARN_BEFORE_MS : deadline;
    timer = setTimeout(check, Math.max(0, next - now));
  }

  session.onTokenChange(check);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  check();
}
