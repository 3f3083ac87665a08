/**
 * The enrollment dossier (API.md "The dossier") and its state machine.
 *
 * A dossier is created from an admission in `draft`; the student completes five steps in
 * order (identity, ine, situation, cvec, programme), each saved as soon as it is valid; submit
 * moves it `draft → submitted` and at once to what the fees require:
 *
 *     draft ─► submitted ─► awaiting_payment ─► enrolled      (card payment online)
 *                       ├─► pay_at_office ────► enrolled      (scholarship pending: paid at the desk)
 *                       ├─► scholarship_to_verify ─► enrolled | awaiting_payment
 *                       │        (declared granted, not proven: the CVEC holder state or an operator decides)
 *                       └─► enrolled                          (nothing due)
 *
 * What submit leads to is decided in one place: `feeDecision` (./fees.ts).
 *     enrolled ─► withdrawn | withdrawal_requested ─► withdrawn   (the student withdraws: ./withdrawal.ts)
 *     any status but cancelled ─► cancelled                   (operator)
 *
 * Steps are editable only in `draft` (DomainError `step_locked` otherwise).
 *
 * All functions are pure and return new objects; none changes `version`, which belongs to the
 * store (optimistic locking: write with `version = expected`, store `version + 1`).
 * Domain refusals are thrown as `DomainError` with a stable snake_case `reason`
 * (messages in messages/fields.ts).
 */
export * from './errors';
export * from './model';
export * from './fees';
export * from './lifecycle';
export * from './steps';
export * from './payment-events';
export * from './money';
export * from './withdrawal';
export * from './instalments';
