/// <reference lib="dom.iterable" />

/** Set by scripts/build-web.ts: the content-hashed help page texts, by language. */
declare const __HELP_FILES__: Record<import('../../functions/domain/messages/lang').Lang, string>;
