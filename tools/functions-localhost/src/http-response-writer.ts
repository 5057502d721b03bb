import type { ServerResponse } from 'node:http';
import type { Cookie, HttpResponse } from '@azure/functions';
import type { FunctionsLibrary } from './functions-library.js';

/**
 * Turns what an HTTP function returned into bytes on the socket, the way the Functions host does:
 * an HttpResponse or an HttpResponseInit (jsonBody, body as string/Buffer/stream, status, headers, cookies).
 */

export class InvalidHttpResultError extends Error {
  readonly code = 'InvalidHttpResult';
  constructor(detail: string) {
    super(`The HTTP response must be an HttpResponse or an object with optional properties "body", "jsonBody", "status", "headers" and "cookies"; got ${detail}.`);
  }
}

/** undefined/null mean "no response set": 204, as the host answers when the http output is left empty. */
export function toHttpResponse(library: FunctionsLibrary, result: unknown): HttpResponse | undefined {
  if (result === undefined || result === null) return undefined;
  if (result instanceof library.HttpResponse) return result;
  if (typeof result !== 'object') throw new InvalidHttpResultError(typeof result);
  return new library.HttpResponse(result);
}

export function serializeCookie(cookie: Cookie): string {
  let text = `${cookie.name}=${cookie.value}`;
  if (cookie.domain) text += `; Domain=${cookie.domain}`;
  if (cookie.path) text += `; Path=${cookie.path}`;
  if (cookie.expires !== undefined) text += `; Expires=${new Date(cookie.expires).toUTCString()}`;
  if (cookie.maxAge !== undefined) text += `; Max-Age=${Math.trunc(cookie.maxAge)}`;
  if (cookie.secure) text += '; Secure';
  if (cookie.httpOnly) text += '; HttpOnly';
  if (cookie.sameSite) text += `; SameSite=${cookie.sameSite}`;
  return text;
}

export async function writeHttpResponse(res: ServerResponse, response: HttpResponse | undefined, requestMethod: string): Promise<void> {
  if (!response) {
    res.writeHead(204).end();
    return;
  }
  const setCookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
  for (const [key, value] of response.headers.entries()) {
    if (key === 'set-cookie') continue;
    res.setHeader(key, value);
  }
  if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
  res.statusCode = response.status;
  const body = response.body;
  if (!body || requestMethod === 'HEAD') {
    if (body) await body.cancel();
    res.end();
    return;
  }
  // Stream as the function produces; without a content-length Node uses chunked transfer encoding.
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done) break;
      if (value && !res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch (error) {
    // Headers are gone already: the only honest signal left is an aborted connection.
    res.destroy(error as Error);
  } finally {
    reader.releaseLock();
  }
}
