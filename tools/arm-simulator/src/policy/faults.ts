/**
 * Injected failures. The FaultStore (tools/arm-simulator/src/fault-store.ts, the only one) holds the active rules; the fault
 * policy fails a request when the first matching rule fires. The applied-then-* kinds let the request be handled
 * and applied first and only then fail it (504 GatewayTimeout or a reset): the ambiguous outcome a client cannot
 * tell from a failure before the write. Probability uses a seeded generator so a scenario with
 * flaky rules fails the same requests on every run.
 */
import { randomUUID } from 'node:crypto';
import type { ArmRequestInfo, PolicyVerdict, RequestPolicy } from '../contract.js';
import type { FaultRuleInput } from '../fault-store.js';
import { armErrorBody, providerErrorBody } from './envelopes.js';
import { seededRandom, type RandomSource } from './prng.js';

/**
 * What the fault policy needs from a rule store: the FaultStore, or anything with the same two operations (a test
 * double counting differently), so the policy does not care which.
 */
export interface FaultRuleSource {
  list(): readonly (FaultRuleInput & { readonly id: string })[];
  consume(id: string): boolean;
}

/** The name Network gives the operation in RetryableErrorDueToAnotherOperation ('PutSubnetOperation'). */
function networkOperationName(request: ArmRequestInfo): string {
  const segments = request.resourceId.split('/').filter((s) => s !== '');
  const type = segments.length >= 2 ? (segments[segments.length - 2] ?? 'Resource') : 'Resource';
  const singular = type.replace(/ies$/, 'y').replace(/s$/, '');
  const verb = request.method === 'DELETE' ? 'Delete' : request.method === 'PATCH' ? 'Patch' : 'Put';
  return `${verb}${singular.charAt(0).toUpperCase()}${singular.slice(1)}Operation`;
}

/** What a gateway in front of ARM answers when it cannot reach it: an HTML page, not ARM's JSON. */
const GATEWAY_HTML = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export function faultVerdict(rule: FaultRuleInput, request: ArmRequestInfo): PolicyVerdict {
  const retryAfter = { 'Retry-After': String(rule.retryAfterSeconds ?? 1) };
  const provider = request.provider;
  switch (rule.kind) {
    case 'http500':
      return { kind: 'respond', status: 500, body: providerErrorBody(provider, 'InternalServerError', 'An unexpected error occurred while processing the request.') };
    case 'http500-retry-after':
      return { kind: 'respond', status: 500, headers: retryAfter, body: providerErrorBody(provider, 'InternalServerError', 'An unexpected error occurred while processing the request.') };
    case 'http503':
      return { kind: 'respond', status: 503, body: providerErrorBody(provider, 'ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.') };
    case 'http503-retry-after':
      return { kind: 'respond', status: 503, headers: retryAfter, body: providerErrorBody(provider, 'ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.') };
    case 'http429':
      // Retry-After only when the rule gives one: a bare 429 is how to check that a client does not retry blindly
      // (the Azure SDK retries a 429 only when it carries Retry-After).
      return {
        kind: 'respond',
        status: 429,
        ...(rule.retryAfterSeconds === undefined ? {} : { headers: retryAfter }),
        body: armErrorBody('TooManyRequests', 'The request is being throttled. Please try again later.'),
      };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'another-operation': {
      const seconds = rule.retryAfterSeconds;
      const message =
        `Operation ${networkOperationName(request)} (${randomUUID()}) was canceled. Another operation on this or dependent resource ` +
        `is in progress on resource '${request.resourceId}'.` + (seconds === undefined ? '' : ` The call can be retried in ${seconds} seconds.`);
      return {
        kind: 'respond',
        status: 429,
        ...(seconds === undefined ? {} : { headers: { 'Retry-After': String(seconds) } }),
        body: armErrorBody('RetryableErrorDueToAnotherOperation', message),
      };
    }
    case 'permanent': {
      const status = rule.status ?? 400;
      const code = status === 409 ? 'Conflict' : 'BadRequest';
      return { kind: 'respond', status, body: providerErrorBody(provider, code, rule.message ?? 'The request failed.') };
    }
    case 'gateway-html':
      return { kind: 'respond', status: 502, text: { contentType: 'text/html', content: GATEWAY_HTML } };
    case 'applied-then-504':
      // ARM's own answer when the provider did not answer in time; ARM's envelope, whichever provider it was.
      return {
        kind: 'after-handler',
        outcome: { kind: 'respond', status: 504, body: armErrorBody('GatewayTimeout', gatewayTimeoutMessage(provider)) },
      };
    case 'applied-then-reset':
      return { kind: 'after-handler', outcome: { kind: 'reset' } };
  }
}

const NAMESPACES: Readonly<Record<string, string>> = { 'microsoft.web': 'Microsoft.Web', 'microsoft.network': 'Microsoft.Network' };

/** ARM's GatewayTimeout text, naming the provider it waited for in its usual casing. */
export function gatewayTimeoutMessage(provider: string | undefined): string {
  const namespace = provider === undefined ? 'Microsoft.Resources' : (NAMESPACES[provider.toLowerCase()] ?? provider);
  return `The gateway did not receive a response from '${namespace}' within the specified time period.`;
}

export interface FaultPolicyOptions {
  readonly store: FaultRuleSource;
  /** Seed for probabilistic rules; the same seed fails the same requests. Default 1. */
  readonly seed?: number;
}

export function createFaultPolicy(options: FaultPolicyOptions): RequestPolicy {
  const random: RandomSource = seededRandom(options.seed ?? 1);
  const patterns = new Map<string, RegExp | null>();
  const pathMatches = (pattern: string, path: string): boolean => {
    let regex = patterns.get(pattern);
    if (regex === undefined) {
      try {
        regex = new RegExp(pattern, 'i');
      } catch {
        regex = null; // an invalid pattern (only possible from a foreign store) matches nothing
      }
      patterns.set(pattern, regex);
    }
    return regex !== null && regex.test(path);
  };
  return {
    evaluate(request: ArmRequestInfo): PolicyVerdict {
      for (const rule of options.store.list()) {
        if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
        if (rule.pathPattern !== undefined && !pathMatches(rule.pathPattern, request.path)) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        if (options.store.consume(rule.id)) return faultVerdict(rule, request);
      }
      return { kind: 'pass' };
    },
  };
}
