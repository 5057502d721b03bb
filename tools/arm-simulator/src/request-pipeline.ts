import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminRouter } from './admin-routes.js';
import { checkApiVersion } from './api-versions.js';
import { ArmHttpError, errorBody, invalidRequestContent } from './arm-error.js';
import type { AuditLog } from './audit-log.js';
import type { AfterHandlerOutcome, ArmRequestInfo, LatencyModel, RequestPolicy } from './contract.js';
import { linkedAuthorizationFor } from './linked-access.js';
import { addressedResourceId, parseArmPath, rbacAction, resourceTypeOf } from './resource-path.js';
import type { ArmPath } from './resource-path.js';
import type { ArmRouter, HttpMethod, SimulatorContext } from './router.js';
import { instanceDiscovery, issueToken, openIdConfiguration, principalOf, readClaims } from './tokens.js';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ARM_METHODS = new Set<string>(['GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'HEAD']);

export interface PipelineDeps {
  readonly ctx: SimulatorContext;
  readonly router: ArmRouter;
  readonly admin: AdminRouter;
  readonly audit: AuditLog;
  readonly policies: () => readonly RequestPolicy[];
  readonly latency: () => LatencyModel | undefined;
  /** Optional token check; by default any bearer token is accepted. */
  readonly acceptToken?: (token: string) => boolean;
  readonly maxBodyBytes?: number;
}

class BodyTooLarge extends Error {}

/** Reads the body up to the limit; past it, stops buffering and reports BodyTooLarge. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      tooLarge = true;
      reject(new BodyTooLarge());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}, head = false): void {
  if (res.headersSent || res.destroyed) return;
  const requestId = randomUUID();
  const base: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'Cache-Control': 'no-cache',
    ...headers,
  };
  if (body === undefined) {
    res.writeHead(status, { ...base, 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...base, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(head ? undefined : text);
}

/** The whole request path: admin and identity endpoints, then auth → policies → latency → ARM handler, audited. */
export function createRequestHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // Last line of defence: the server must keep answering whatever a handler did.
      console.error('[simulator] unhandled error', error);
      send(res, 500, errorBody('arm', 'InternalServerError', 'The simulator hit an internal error; see its log.'));
    });
  };
}

async function handle(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const { ctx, audit } = deps;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'https://simulator.invalid');
  const path = url.pathname;
  const apiVersion = url.searchParams.get('api-version') ?? undefined;
  let principalId = 'anonymous';
  const record = (status: number, errorCode?: string, answeredBy: 'handler' | 'policy' | 'reset' | 'hang' = 'handler', handlerStatus?: number): void => {
    audit.record({
      time: ctx.clock.now(), principalId, method, path, apiVersion, status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(errorCode === undefined ? {} : { errorCode }),
      answeredBy,
      ...(handlerStatus === undefined ? {} : { handlerStatus }),
    });
  };

  // Body first, so every branch can refuse a bad one the same way.
  let raw: Buffer;
  try {
    raw = await readBody(req, deps.maxBodyBytes ?? MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.on('finish', () => req.destroy());
      send(res, 413, errorBody('arm', 'RequestEntityTooLarge', `The request body exceeds the limit of ${deps.maxBodyBytes ?? MAX_BODY_BYTES} bytes.`), { Connection: 'close' });
      record(413, 'RequestEntityTooLarge');
      return;
    }
    throw error;
  }

  if (path.startsWith('/_simulator/') || path === '/_simulator') {
    await handleAdmin(deps, method, path, url.searchParams, raw, res);
    return;
  }
  const identityStatus = handleIdentity(deps, method, path, raw, res);
  if (identityStatus !== undefined) {
    record(identityStatus);
    return;
  }

  const fail = (error: ArmHttpError, answeredBy: 'handler' | 'policy' = 'handler'): void => {
    send(res, error.status, method === 'HEAD' ? undefined : error.body(), error.headers);
    record(error.status, error.code, answeredBy);
  };

  if (!ARM_METHODS.has(method)) {
    fail(new ArmHttpError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported for the resource '${path}'.`, 'arm', { Allow: 'GET, PUT, PATCH, POST, DELETE, HEAD' }));
    return;
  }
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization === '') {
    fail(new ArmHttpError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", 'arm', {
      'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
    }));
    return;
  }
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (token === undefined || (deps.acceptToken !== undefined && !deps.acceptToken(token))) {
    fail(new ArmHttpError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', 'arm', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));
    return;
  }
  const claims = readClaims(token);
  principalId = principalOf(claims);
  if (claims?.exp !== undefined && claims.exp * 1000 < Date.now()) {
    fail(new ArmHttpError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.'));
    return;
  }

  let parsed: ArmPath;
  let body: unknown;
  try {
    parsed = parseArmPath(path);
    const text = raw.toString('utf8');
    checkMediaType(method, req.headers['content-type'], text);
    body = parseJsonText(text);
  } catch (error) {
    if (error instanceof ArmHttpError) {
      fail(error);
      return;
    }
    throw error;
  }
  const info: ArmRequestInfo = {
    method: method as ArmRequestInfo['method'],
    path,
    apiVersion,
    principalId,
    subscriptionId: parsed.subscriptionId,
    provider: parsed.provider,
    resourceId: addressedResourceId(path, parsed),
    action: rbacAction(method, parsed),
    operationKind: method === 'DELETE' ? 'delete' : method === 'GET' || method === 'HEAD' ? 'read' : 'write',
  };

  const extraHeaders: Record<string, string> = {};
  const policies = deps.policies();
  // An applied-then-* fault: the request is handled (and applied) as usual, then this answers instead.
  let afterHandler: AfterHandlerOutcome | undefined;
  for (const policy of policies) {
    const verdict = policy.evaluate(info);
    if (verdict.kind === 'pass') {
      Object.assign(extraHeaders, verdict.headers ?? {});
      continue;
    }
    if (verdict.kind === 'after-handler') {
      afterHandler ??= verdict.outcome;
      continue;
    }
    if (verdict.kind === 'reset') {
      record(0, undefined, 'reset');
      req.socket.destroy();
      return;
    }
    if (verdict.kind === 'hang') {
      record(0, undefined, 'hang');
      return;
    }
    if (verdict.text !== undefined) sendText(res, verdict.status, verdict.text, { ...extraHeaders, ...(verdict.headers ?? {}) }, method === 'HEAD');
    else send(res, verdict.status, verdict.body, { ...extraHeaders, ...(verdict.headers ?? {}) }, method === 'HEAD');
    const code = errorCodeOf(verdict.body);
    record(verdict.status, code, 'policy');
    return;
  }

  const delay = deps.latency()?.delayFor(info) ?? 0;
  if (delay > 0) await ctx.clock.sleep(delay);

  try {
    ctx.operations.settleDue();
    const match = deps.router.match(method, path);
    if ('allowed' in match) {
      if (match.allowed.length > 0) {
        throw new ArmHttpError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, 'arm', { Allow: match.allowed.join(', ') });
      }
      checkApiVersion(parsed.provider, apiVersion, resourceTypeOf(parsed).split('/').slice(1).join('/') || 'subscriptions', undefined);
      throw new ArmHttpError(
        404,
        parsed.provider === undefined ? 'InvalidRequestUri' : 'InvalidResourceType',
        parsed.provider === undefined
          ? `The request URI '${path}' is not supported by this simulator.`
          : `The resource type '${resourceTypeOf(parsed).split('/').slice(1).join('/')}' could not be found in the namespace '${parsed.provider}' for api version '${apiVersion ?? ''}'.`,
      );
    }
    const location = typeof body === 'object' && body !== null && 'location' in body ? String((body).location) : ctx.store.get(info.resourceId)?.location;
    checkApiVersion(parsed.provider, apiVersion, resourceTypeOf(parsed).split('/').slice(1).join('/'), location);
    const result = ctx.store.transaction(() =>
      match.handler({ method: method as HttpMethod, path, params: match.params, query: url.searchParams, apiVersion, body, ctx, authorizeLinked: linkedAuthorizationFor(policies, info) }),
    );
    if (afterHandler !== undefined) {
      answerAfterHandler(afterHandler, result.status);
      return;
    }
    send(res, result.status, result.body, { ...extraHeaders, ...(result.headers ?? {}) }, method === 'HEAD');
    record(result.status);
  } catch (error) {
    if (error instanceof ArmHttpError) {
      if (afterHandler !== undefined) {
        answerAfterHandler(afterHandler, error.status);
        return;
      }
      send(res, error.status, method === 'HEAD' ? undefined : error.body(), { ...extraHeaders, ...error.headers });
      record(error.status, error.code);
      return;
    }
    throw error;
  }

  /** The handler has run (its writes committed, or rolled back if it refused); the client gets the fault instead. */
  function answerAfterHandler(outcome: AfterHandlerOutcome, handlerStatus: number): void {
    if (outcome.kind === 'reset') {
      record(0, undefined, 'reset', handlerStatus);
      req.socket.destroy();
      return;
    }
    send(res, outcome.status, outcome.body, { ...extraHeaders, ...(outcome.headers ?? {}) }, method === 'HEAD');
    record(outcome.status, errorCodeOf(outcome.body), 'policy', handlerStatus);
  }
}

/** A body that is not JSON (a gateway's HTML error page), with its own Content-Type. */
function sendText(res: ServerResponse, status: number, text: { readonly contentType: string; readonly content: string }, headers: Readonly<Record<string, string>>, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Cache-Control': 'no-cache', ...headers, 'Content-Type': text.contentType, 'Content-Length': String(Buffer.byteLength(text.content)) });
  res.end(head ? undefined : text.content);
}

/**
 * ARM takes request bodies in JSON only (azure-resource-manager-rpc, common-api-details.md, "Client Request
 * Headers": Content-Type application/json) and refuses any other media type with 415 UnsupportedMediaType, as
 * `az rest` users meet it (Azure/azure-cli#28494) — so a client that forgets the header fails here as on Azure.
 */
function checkMediaType(method: string, contentType: string | undefined, text: string): void {
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || text.trim() === '') return;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json') return;
  throw new ArmHttpError(415, 'UnsupportedMediaType', `The content media type '${contentType ?? ''}' is not supported. Only 'application/json' is supported.`);
}

function parseJson(raw: Buffer): unknown {
  return parseJsonText(raw.toString('utf8'));
}

function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidRequestContent(error instanceof Error ? error.message : 'malformed JSON');
  }
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: { code?: unknown }; Code?: unknown };
  if (typeof b.error?.code === 'string') return b.error.code;
  return typeof b.Code === 'string' ? b.Code : undefined;
}

async function handleAdmin(deps: PipelineDeps, method: string, path: string, query: URLSearchParams, raw: Buffer, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = parseJson(raw);
  } catch (error) {
    if (error instanceof ArmHttpError) {
      send(res, 400, error.body());
      return;
    }
    throw error;
  }
  const match = deps.admin.match(method, path);
  if ('allowed' in match) {
    if (match.allowed.length > 0) send(res, 405, errorBody('arm', 'MethodNotAllowed', `Use ${match.allowed.join(' or ')} on ${path}.`), { Allow: match.allowed.join(', ') });
    else send(res, 404, errorBody('arm', 'NotFound', `No admin route ${method} ${path}.`));
    return;
  }
  try {
    const result = await match.handler({ method, path, params: match.params, query, body });
    send(res, result.status, result.body);
  } catch (error) {
    send(res, 400, errorBody('arm', 'BadAdminRequest', error instanceof Error ? error.message : String(error)));
  }
}

/** Microsoft identity platform endpoints a real ClientSecretCredential (MSAL) calls. */
/** Answers identity requests; returns the status sent, or undefined when the path is not an identity endpoint. */
function handleIdentity(deps: PipelineDeps, method: string, path: string, raw: Buffer, res: ServerResponse): number | undefined {
  const base = deps.ctx.baseUrl();
  const discovery = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/i.exec(path);
  if (method === 'GET' && discovery !== null) {
    send(res, 200, openIdConfiguration(base, discovery[1] ?? 'common'));
    return 200;
  }
  const instance = /^\/([^/]+)\/discovery\/instance$/i.exec(path);
  if (method === 'GET' && instance !== null) {
    send(res, 200, instanceDiscovery(base, instance[1] ?? 'common'));
    return 200;
  }
  const tokenPath = /^\/([^/]+)\/oauth2(?:\/v2\.0)?\/token$/i.exec(path);
  if (tokenPath === null) return undefined;
  if (method !== 'POST') {
    send(res, 405, { error: 'invalid_request', error_description: 'Use POST.' }, { Allow: 'POST' });
    return 405;
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  const clientId = form.get('client_id');
  if (form.get('grant_type') !== 'client_credentials' || clientId === null || clientId === '') {
    send(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: The simulator supports the client_credentials grant with a client_id.', error_codes: [70003] });
    return 400;
  }
  const tenant = tokenPath[1] ?? 'common';
  const lifetime = 3600;
  send(res, 200, {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: issueToken(base, tenant, clientId, Math.floor(Date.now() / 1000), lifetime),
  });
  return 200;
}
