/**
 * The parts of zod's classic API the shared domain schemas call, for the browser bundle only:
 * scripts/build-web.ts redirects `import { z } from 'zod'` in functions/domain/* here. zod's own
 * `z` is a namespace object that keeps every export alive (all locales: 450 KB minified); named
 * imports let the bundler drop the rest. The schemas' behaviour is unchanged: these are zod's
 * own functions. The build fails when a domain file uses a member missing here.
 */
import { boolean, discriminatedUnion, email, enum as enumOf, literal, NEVER, number, object, preprocess, string } from 'zod';

export const z = { boolean, discriminatedUnion, email, enum: enumOf, literal, NEVER, number, object, preprocess, string };
// The domain files import zod as a namespace (`import * as z from 'zod'`, which lets esbuild drop
// what the Lambda bundles do not call): the same members, exported by name.
export { boolean, discriminatedUnion, email, enumOf as enum, literal, NEVER, number, object, preprocess, string };
