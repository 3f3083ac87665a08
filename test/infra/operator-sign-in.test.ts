/**
 * Operator sign-in on AWS: the user pool (no self sign-up, strong passwords, TOTP, Plus plan
 * threat protection), its groups, clients and hosted sign-in; API Gateway's JWT authorizer on
 * every admin route and on no other; the API reachable only through its custom domain, which
 * is CloudFront's `/api/*` origin.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRedirectUri, CONSOLE_CALLBACK_PATH, ROLES } from '../../config/sign-in';
import { routes } from '../../functions/routes';
import { onlyLogicalId, synthStage, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('prod');
});

const ref = (id: string) => ({ Ref: id });

describe('the operators’ user pool', () => {
  it('has no self sign-up, a strong password policy, optional TOTP MFA, threat protection, and is kept in prod', () => {
    const pool = onlyLogicalId(s.template, 'AWS::Cognito::UserPool');
    s.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        DeletionProtection: 'ACTIVE',
      }),
    });
    expect(pool).toBeTruthy();
  });

  it('has exactly the groups operator and supervisor', () => {
    const groups = Object.values(s.template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a hosted sign-in domain from the stage config', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: s.config.operatorSignIn.domainPrefix });
  });

  it('gives the console and the ops CLI a public client: authorization code only, no secret, the console and loopback callbacks', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'inscrire-console',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [`${s.config.publicOrigin}${CONSOLE_CALLBACK_PATH}`, cliRedirectUri()],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it('gives automation a machine client: client credentials with a secret, roles as resource-server scopes', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'inscrire-automation',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'inscrire-api',
      Scopes: ROLES.map((r) => Match.objectLike({ ScopeName: r })),
    });
  });
});

describe('the HTTP API', () => {
  it('has one JWT authorizer: the pool as issuer, both clients as audience', () => {
    const pool = onlyLogicalId(s.template, 'AWS::Cognito::UserPool');
    const clients = Object.keys(s.template.findResources('AWS::Cognito::UserPoolClient'));
    s.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: Match.arrayEquals(clients.map(ref)),
        Issuer: { 'Fn::Join': ['', [Match.stringLikeRegexp('^https://cognito-idp\\.[a-z0-9-]+\\.amazonaws\\.com/$'), ref(pool)]] },
      },
    });
  });

  it('puts the JWT authorizer on every admin route and on no other', () => {
    const authorizer = onlyLogicalId(s.template, 'AWS::ApiGatewayV2::Authorizer');
    const byKey = Object.fromEntries(Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties]));
    const admin = routes.filter((r) => r.auth === 'admin');
    expect(admin.length).toBeGreaterThan(0);
    for (const route of routes) {
      const p = byKey[`${route.method} ${route.path}`];
      if (route.auth === 'admin') expect(p).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: ref(authorizer) });
      else expect(p.AuthorizationType).toBe('NONE');
    }
    expect(JSON.stringify(s.template.toJSON())).not.toContain('AWS_IAM');
  });

  it('disables the execute-api endpoint', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });

  it('is served at its custom domain (regional certificate from the config), mapped to the default stage', () => {
    const domain = onlyLogicalId(s.template, 'AWS::ApiGatewayV2::DomainName', {
      Properties: { DomainName: s.config.apiDomain.name, DomainNameConfigurations: [Match.objectLike({ CertificateArn: s.config.apiDomain.certificateArn, EndpointType: 'REGIONAL' })] },
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      DomainName: ref(domain),
      ApiId: ref(onlyLogicalId(s.template, 'AWS::ApiGatewayV2::Api')),
      Stage: '$default',
    });
    s.template.hasOutput('ApiDomainTarget', { Value: { 'Fn::GetAtt': [domain, 'RegionalDomainName'] } });
    s.template.hasOutput('ApiUrl', { Value: `https://${s.config.apiDomain.name}/` });
  });

  it('is CloudFront’s /api/* origin through that custom domain', () => {
    const dist = Object.values(s.template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const apiBehaviour = dist.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    const origin = dist.Origins.find((o: { Id: string }) => o.Id === apiBehaviour.TargetOriginId);
    expect(origin.DomainName).toBe(s.config.apiDomain.name);
  });

  it('outputs what operators and the ops CLI need', () => {
    for (const name of ['OperatorIssuer', 'OperatorConsoleClientId', 'OperatorMachineClientId', 'OperatorUserPoolId', 'OperatorSignInUrl']) {
      s.template.hasOutput(name, { Value: Match.anyValue() });
    }
  });
});
