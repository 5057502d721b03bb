import type { IncomingMessage, ServerResponse } from 'node:http';
import { DurableHostError } from './contract.js';

/**
 * The small HTTP vocabulary of the Durable management API: reading a bounded body, writing JSON, and turning any
 * failure into a status code with a body that says what went wrong and what to do about it.
 */

/** Orchestration inputs and event payloads larger than this are refused rather than buffered without limit. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A failure the API answers itself, with a status the engine contract has no name for (405, 412, 413, 501). */
export class ManagementHttpError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly retryable = false,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ManagementHttpError';
  }
}

export const invalidRequest = (message: string) => new DurableHostError('InvalidRequest', 400, message);

/** The body every error answer carries: the project's error record shape. */
export interface ManagementErrorBody {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  // JSON.stringify(undefined) is undefined; the API's bodies are always JSON, so absent becomes null.
  const text = JSON.stringify(body === undefined ? null : body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text).toString() });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': '0' });
  res.end();
}

export function errorBody(error: unknown): { status: number; body: ManagementErrorBody; headers: Readonly<Record<string, string>> } {
  if (error instanceof DurableHostError) {
    // Only a 409 (the id is busy) can succeed later unchanged, once that instance finishes.
    return { status: error.httpStatus, body: { code: error.code, message: error.message, retryable: error.httpStatus === 409 }, headers: {} };
  }
  if (error instanceof ManagementHttpError) {
    return { status: error.httpStatus, body: { code: error.code, message: error.message, retryable: error.retryable }, headers: error.headers };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: { code: 'UnexpectedError', message: `The local durable host failed while handling the request: ${message}`, retryable: false },
    headers: {},
  };
}

export function sendError(res: ServerResponse, error: unknown): void {
  const { status, body, headers } = errorBody(error);
  if (res.headersSent) {
    // Nothing sensible can be sent any more; cut the connection so the client does not wait for the rest.
    res.destroy();
    return;
  }
  sendJson(res, status, body, headers);
}

/** Reads the whole body as UTF-8 text, refusing more than MAX_BODY_BYTES. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new ManagementHttpError('PayloadTooLarge', 413, `The request body exceeds ${MAX_BODY_BYTES} bytes; send a smaller input or event payload.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty body is "no value" (undefined); anything else must be one JSON value. */
export async function readJsonBody(req: IncomingMessage, what: string): Promise<unknown> {
  const text = await readBodyText(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidRequest(`The ${what} is not valid JSON (${reason}); send a JSON value or an empty body.`);
  }
}

export function isJsonContentType(req: IncomingMessage): boolean {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

/** The origin this request reached, so the URLs we hand back point where the caller already got through. */
export function requestOrigin(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  if (!host) return fallback;
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${encrypted ? 'https' : 'http'}://${host}`;
}
