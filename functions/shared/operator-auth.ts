/**
 * Who an operator is and what they may do, from the access token API Gateway's JWT authorizer
 * (or the local gateway, which checks tokens the same way) has already verified: issuer,
 * audience, signature, expiry. This module only reads its claims: the person (`username`, or
 * the machine client's id), their roles (user-pool groups, or a machine client's scopes), and
 * whether the role the route's handler asks for (`operatorAccess` or `supervisorAccess`) is
 * among them.
 *
 * Kept apart from operator.ts (which reaches DynamoDB): every admin function imports this one.
 * It does not import the route list, which would weigh on every admin bundle (issue 16, cold
 * starts): functions/routes.ts declares each admin route's `role` for readers and the API
 * contract, and test/handlers/admin-dossiers.test.ts ("roles") holds every handler to it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROLES, roleScope, type Role } from '../../config/sign-in';
import { AppError, forbidden, unauthenticated } from './errors';
import type { CallerCheck } from './http';

export interface Operator {
  /** What the audit records: the person's username, or `client:<id>` for a machine client. */
  principal: string;
  kind: 'person' | 'machine';
  roles: Role[];
}

/** `supervisor` may do everything `operator` may. */
const grants: Record<Role, Role[]> = { operator: ['operator'], supervisor: ['operator', 'supervisor'] };

/**
 * A list claim as API Gateway passes it in payload 2.0: `"[operator supervisor]"` (arrays are
 * rendered as bracketed, space-separated strings), or a real array, or a space-separated string
 * (`scope`).
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const s = value.trim();
  const inner = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  return inner.split(/\s+/).filter(Boolean);
}

type Claims = Record<string, unknown>;

function claimsOf(event: APIGatewayProxyEventV2): Claims | undefined {
  return (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;
}

/** The caller of an admin route, or the refusal: 401 without a verified token, 403 without the `required` role. */
export function authorizeOperator(event: APIGatewayProxyEventV2, required: Role): Operator {
  const claims = claimsOf(event);
  if (!claims) throw unauthenticated();
  // ID tokens carry the same issuer and audience: only access tokens open the API.
  if (claims.token_use !== 'access') throw forbidden();
  const username = claims.username ?? claims['cognito:username'];
  let operator: Operator;
  if (typeof username === 'string' && username) {
    const groups = claimList(claims['cognito:groups']);
    operator = { principal: username, kind: 'person', roles: ROLES.filter((r) => groups.includes(r)) };
  } else if (typeof claims.client_id === 'string' && claims.client_id) {
    // Client-credentials tokens name no person: the machine client's scopes are its roles.
    const scopes = claimList(claims.scope);
    operator = { principal: `client:${claims.client_id}`, kind: 'machine', roles: ROLES.filter((r) => scopes.includes(roleScope(r))) };
  } else {
    throw forbidden();
  }
  if (operator.roles.length === 0) throw forbidden();
  const held = new Set(operator.roles.flatMap((r) => grants[r]));
  if (!held.has(required)) throw new AppError(403, 'FORBIDDEN_ROLE', { params: { role: required }, details: { role: required } });
  return operator;
}

/**
 * The admin routes' caller checks (`httpHandler({ auth: operatorAccess })`, ./http.ts): API
 * Gateway's JWT authorizer (AWS) or the local gateway has verified the token; the role the
 * handler asks for is checked here, from its claims.
 */
function operatorCheck(required: Role): CallerCheck {
  return { kind: 'admin', identify: async (event) => ({ admin: authorizeOperator(event, required) }) };
}

/** An admin route any operator may call. */
export const operatorAccess: CallerCheck = operatorCheck('operator');

/** An admin route reserved to supervisors (functions/routes.ts `role: 'supervisor'`). */
export const supervisorAccess: CallerCheck = operatorCheck('supervisor');
