import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostedFunction } from './app-loader.js';
import { DURABLE_WEBHOOK_PREFIX, type DurableManagementApi } from './durable-seams.js';
import type { FunctionsLibrary } from './functions-library.js';
import { createInvocationContext } from './invocation-context.js';
import type { HostLogger } from './logger.js';
import { HttpRouter } from './http-router.js';
import { toHttpResponse, writeHttpResponse } from './http-response-writer.js';

/**
 * Serves the app's HTTP triggers the way the Functions host does: route templates under the route prefix,
 * 404 when no route matches, 405 (with Allow) when a route matches but not the method, function keys for
 * non-anonymous functions when a key is configured (401 otherwise), a request body limit (413), and 500 with no
 * details for an unhandled exception (the details go to the log). /runtime/webhooks/durabletask/ goes to the
 * Durable management API.
 */
export interface HttpDispatcherOptions {
  readonly functions: readonly HostedFunction[];
  /** The app's own @azure/functions. */
  readonly library: FunctionsLibrary;
  /** host.json extensions.http.routePrefix ("api" by default; "" puts functions at the root). */
  readonly routePrefix: string;
  /** When set, functions whose authLevel is not 'anonymous' require it (x-functions-key header or code= query). */
  readonly functionsKey?: string | undefined;
  /** Bytes; 100 MB when absent, as the Functions host's default request limit. */
  readonly maxRequestBodyBytes?: number | undefined;
  readonly logger: HostLogger;
}

export const DEFAULT_MAX_REQUEST_BODY_BYTES = 100 * 1024 * 1024;

export class HttpDispatcher {
  readonly router: HttpRouter;
  readonly #options: HttpDispatcherOptions;
  readonly #keyDigest: Buffer | undefined;
  readonly #limit: number;
  /** Set once the management API exists (it needs the listening port); absent for apps without durable functions. */
  durableApi: DurableManagementApi | undefined;

  constructor(options: HttpDispatcherOptions) {
    this.#options = options;
    this.router = new HttpRouter(options.functions.filter((f) => f.kind === 'http'), options.routePrefix);
    this.#keyDigest = options.functionsKey ? digest(options.functionsKey) : undefined;
    this.#limit = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
  }

  /** Never rejects: every failure becomes a response (or a destroyed socket when headers were already sent). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.#dispatch(req, res);
    } catch (error) {
      this.#options.logger('error', 'Host.Http', `Request ${req.method} ${req.url} failed in the host: ${describe(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const path = url.pathname;

    const durableApi = this.durableApi;
    if (path.toLowerCase().startsWith(DURABLE_WEBHOOK_PREFIX) && durableApi) {
      await durableApi.handle(req, res, path.slice(DURABLE_WEBHOOK_PREFIX.length), url.searchParams);
      return;
    }

    const found = this.router.find(path, method);
    if (found.kind === 'not-found') {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    if (found.kind === 'method-not-allowed') {
      req.resume();
      res.writeHead(405, { allow: found.allowed.join(', ') }).end();
      return;
    }
    const { fn, params } = found;

    const authLevel = typeof fn.trigger['authLevel'] === 'string' ? fn.trigger['authLevel'].toLowerCase() : 'anonymous';
    if (authLevel !== 'anonymous' && this.#keyDigest && !this.#authorized(req, url)) {
      req.resume();
      res.writeHead(401).end();
      return;
    }

    const body = await this.#readBody(req);
    if (body === 'too-large') {
      res.writeHead(413, { connection: 'close', 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Request body exceeds the limit of ${this.#limit} bytes.`);
      return;
    }

    const request = new this.#options.library.HttpRequest({
      method,
      url: url.href,
      headers: flattenHeaders(req),
      params,
      query: hostQuery(url.searchParams),
      ...(body.length > 0 ? { body: { bytes: body } } : {}),
    });
    const durableInputs: Record<string, unknown> = {};
    if (fn.durableClientInputs.length > 0) {
      if (!durableApi) throw new Error(`Function '${fn.name}' has a durableClient input but the host runs without the durable engine.`);
      const value = durableApi.clientBindingValue();
      for (const name of fn.durableClientInputs) durableInputs[name] = value;
    }
    const context = createInvocationContext(this.#options.library, fn, this.#options.logger, durableInputs);
    const started = performance.now();
    const source = `Function.${fn.name}`;
    this.#options.logger('debug', source, `Executing (Reason='This function was programmatically called via the host APIs.', Id=${context.invocationId})`);
    let response;
    try {
      const result = await fn.handler(request, context);
      response = toHttpResponse(this.#options.library, this.#httpOutput(fn, result, context.extraOutputs.get.bind(context.extraOutputs)));
    } catch (error) {
      this.#options.logger('error', source, `Executed (Failed, Id=${context.invocationId}, Duration=${elapsed(started)}ms): ${describe(error)}`);
      // The real host answers 500 with an empty body: exception details never reach the caller.
      res.writeHead(500).end();
      return;
    }
    await writeHttpResponse(res, response, method);
    this.#options.logger('debug', source, `Executed (Succeeded, Id=${context.invocationId}, Duration=${elapsed(started)}ms)`);
  }

  /** The value of the function's http output: its $return, or a named http output set through extraOutputs. */
  #httpOutput(fn: HostedFunction, result: unknown, getOutput: (name: string) => unknown): unknown {
    const returnBinding = fn.metadata.bindings['$return'];
    if (returnBinding?.type === 'http') return result;
    const named = Object.entries(fn.metadata.bindings).find(([name, b]) => name !== '$return' && b.direction === 'out' && b.type === 'http');
    return named ? getOutput(named[0]) : result;
  }

  #authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers['x-functions-key'];
    const candidate = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? undefined;
    if (candidate === undefined || !this.#keyDigest) return false;
    return timingSafeEqual(digest(candidate), this.#keyDigest);
  }

  async #readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.#limit) {
      // Drain what the client still sends so it can read the 413 instead of seeing a reset.
      req.resume();
      return 'too-large';
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > this.#limit) {
        req.resume();
        return 'too-large';
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The query as the Functions host sends it to the worker: one entry per name, repeated names joined with ","
 * (ASP.NET Core's StringValues), empty values kept. Always sent: @azure/functions before 4.8 reads the query only
 * from here and never parses the URL.
 */
export function hostQuery(searchParams: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of new Set(searchParams.keys())) query[name] = searchParams.getAll(name).join(',');
  return query;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
