/**
 * Operator sign-in: what the user pool (lib/constructs/operator-sign-in.ts), the local OpenID
 * Connect provider (scripts/local/oidc.ts), the admin routes' role check
 * (functions/shared/operator-auth.ts) and the ops CLI (scripts/ops/login.ts) must agree on.
 * Pure data, importable everywhere.
 */

/** Roles are user-pool groups; `supervisor` may do everything `operator` may. */
export const ROLES = ['operator', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** The resource server of the admin API; machine clients get roles as its scopes (`inscrire-api/operator`). */
export const RESOURCE_SERVER = 'inscrire-api';
export const roleScope = (role: Role) => `${RESOURCE_SERVER}/${role}`;

/** Where the console's hosted sign-in sends people back to, under the public origin. */
export const CONSOLE_CALLBACK_PATH = '/gestion/callback';
export const CONSOLE_SIGNED_OUT_PATH = '/gestion/';

/**
 * The ops CLI's loopback redirect (`npm run ops -- login`): Cognito matches callback URLs
 * exactly, port included, so the CLI listens on this port unless told otherwise.
 */
export const CLI_LOOPBACK_PORT = 8976;
export const CLI_CALLBACK_PATH = '/callback';
export const cliRedirectUri = (port: number = CLI_LOOPBACK_PORT) => `http://localhost:${port}${CLI_CALLBACK_PATH}`;

/** Access tokens last an hour (Cognito's default); refresh tokens a working day. */
export const ACCESS_TOKEN_MINUTES = 60;
export const REFRESH_TOKEN_HOURS = 12;
