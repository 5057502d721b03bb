import { randomUUID } from 'node:crypto';

/** Claims the simulator reads from a bearer token. */
export interface TokenClaims {
  readonly oid?: string;
  readonly appid?: string;
  readonly sub?: string;
  readonly tid?: string;
  readonly exp?: number;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT (alg none): ARM clients never verify tokens, they only pass them on. */
export function issueToken(baseUrl: string, tenant: string, clientId: string, nowSeconds: number, lifetimeSeconds = 3600): string {
  const header = { alg: 'none', typ: 'JWT' };
  const payload = {
    aud: 'https://management.azure.com/',
    iss: `${baseUrl}/${tenant}/v2.0`,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    oid: clientId,
    appid: clientId,
    sub: clientId,
    tid: tenant,
    uti: randomUUID(),
    ver: '2.0',
  };
  return `${base64url(header)}.${base64url(payload)}.`;
}

/** Claims of a JWT, or undefined for an opaque token. */
export function readClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload) : undefined;
  } catch {
    return undefined;
  }
}

export function principalOf(claims: TokenClaims | undefined): string {
  return claims?.oid ?? claims?.appid ?? claims?.sub ?? 'anonymous';
}

/** OpenID discovery document MSAL reads before asking for a token. */
export function openIdConfiguration(baseUrl: string, tenant: string): Record<string, unknown> {
  const root = `${baseUrl}/${tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: new URL(baseUrl).host,
    cloud_graph_host_name: new URL(baseUrl).host,
    msgraph_host: new URL(baseUrl).host,
    rbac_url: baseUrl,
  };
}

/** Instance discovery answer (MSAL asks it for authorities it does not know). */
export function instanceDiscovery(baseUrl: string, tenant: string): Record<string, unknown> {
  const host = new URL(baseUrl).host;
  return {
    tenant_discovery_endpoint: `${baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
