/**
 * Input validation for the Lambda functions: validation.ts bound to the packed message
 * catalogue (messages/catalogue.ts), which is unpacked only when an input fails. The pages bind
 * validation.ts to the plain tables instead (web/src/forms.ts).
 */
import { fieldMessage, isFieldCode, type Lang } from './messages/catalogue';
import { validator, type FieldErrors } from './validation';

export { ROOT_FIELD, type FieldErrors, type Validation } from './validation';
// The schemas' building blocks (kept apart: they do not load the message tables).
export { preprocess, requiredOr } from './schema-parts';

export const validate = validator(isFieldCode);

/** `{ path → code }` to `{ path → message }` in `lang`. */
export function translateFields(fields: Readonly<FieldErrors>, lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([path, code]) => [path, fieldMessage(code, lang)]));
}
