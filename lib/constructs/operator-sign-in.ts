/**
 * The operators' sign-in: a Cognito user pool (accounts created by the infrastructure team, no
 * self sign-up), its hosted sign-in domain, the groups that are the roles (config/sign-in.ts),
 * the console's public client (authorization code + PKCE, also used by `npm run ops -- login`
 * with a loopback redirect), and a machine client (client credentials) whose roles are
 * resource-server scopes. API Gateway's JWT authorizer trusts the pool for `/api/admin/*`
 * (lib/constructs/api.ts).
 *
 * Federating the university's SAML identity provider (README "Operator sign-in"): add a
 * `UserPoolIdentityProviderSaml` with the IdP's metadata URL, map its group attribute, list
 * it in the console client's `supportedIdentityProviders`, and add the federated users to the
 * groups (or set the groups from the assertion with a pre-token-generation trigger).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ACCESS_TOKEN_MINUTES, cliRedirectUri, CONSOLE_CALLBACK_PATH, CONSOLE_SIGNED_OUT_PATH, REFRESH_TOKEN_HOURS, RESOURCE_SERVER, ROLES, type Role } from '../../config/sign-in';
import { acknowledge } from '../nag';

export interface OperatorSignInProps {
  /** The public origin of the console (`https://…`, the stage's `publicOrigin`). */
  readonly publicOrigin: string;
  /** Hosted sign-in domain prefix, unique in the region. */
  readonly domainPrefix: string;
  /** Keep the pool (and its accounts) when the stack is deleted, and protect it. */
  readonly retainData: boolean;
}

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  operator: 'Scolarité staff: dossiers, office payments, provisional INEs, cancellations, support',
  supervisor: 'Scolarité supervisors: everything operators do, plus the service switch, admissions imports and refunds',
};

export class OperatorSignIn extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly resourceServer: UserPoolResourceServer;
  /** The console's and the ops CLI's public client (authorization code + PKCE). */
  readonly consoleClient: UserPoolClient;
  /** Automation (client credentials). */
  readonly machineClient: UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the tokens' `iss`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: OperatorSignInProps) {
    super(scope, id);
    const origin = props.publicOrigin.replace(/\/$/, '');

    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.userPool,
      'COG2',
      'MFA is optional with TOTP only (no SMS): staff enrol an authenticator app; once the university SAML IdP is federated, its own MFA applies to federated sign-ins. Plus-plan adaptive authentication asks for MFA on risky sign-ins.',
    );

    for (const role of ROLES) {
      this.userPool.addGroup(`${role[0]!.toUpperCase()}${role.slice(1)}Group`, { groupName: role, description: ROLE_DESCRIPTIONS[role] });
    }

    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    const roleScopes = Object.fromEntries(ROLES.map((r) => [r, new ResourceServerScope({ scopeName: r, scopeDescription: ROLE_DESCRIPTIONS[r] })])) as Record<Role, ResourceServerScope>;
    this.resourceServer = this.userPool.addResourceServer('AdminApi', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'Inscrire admin API',
      scopes: ROLES.map((r) => roleScopes[r]),
    });

    const tokenValidity = {
      accessTokenValidity: Duration.minutes(ACCESS_TOKEN_MINUTES),
      idTokenValidity: Duration.minutes(ACCESS_TOKEN_MINUTES),
      refreshTokenValidity: Duration.hours(REFRESH_TOKEN_HOURS),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    };
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'inscrire-console',
      // A public client: the console's JavaScript and the CLI hold no secret; PKCE protects the code.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}${CONSOLE_CALLBACK_PATH}`, cliRedirectUri()],
        logoutUrls: [`${origin}${CONSOLE_SIGNED_OUT_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      ...tokenValidity,
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'inscrire-automation',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: ROLES.map((r) => OAuthScope.resourceServer(this.resourceServer, roleScopes[r])),
      },
      ...tokenValidity,
    });

    this.issuer = `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** The hosted sign-in's base URL. */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }
}
