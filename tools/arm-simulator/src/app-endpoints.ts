import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AppAddress, AppWorldRecorder } from './app-world-recorder.js';
import type { SimClock } from './contract.js';

const MAX_COMMAND_BODY_BYTES = 64 * 1024;

/**
 * Answers requests addressed to an app as a migration checks it in Azure: `{site}[-{slot}].azurewebsites.net` is the
 * app's health path (any path: 200 when every dependency is reachable and the app is not restarting, else 503), and
 * `{site}.scm.azurewebsites.net` is Kudu (POST /api/command with a Bearer token). Returns false for every other
 * request, which then goes to the ARM pipeline.
 */
export function createAppEndpoints(recorder: AppWorldRecorder, clock: SimClock): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const address = addressOf(recorder, req);
    if (address === undefined) {
      if (!isAppServiceHost(hostOf(req))) return false;
      send(res, 404, { error: { code: 'SiteNotFound', message: `No app in the simulator answers for '${hostOf(req) ?? ''}'. Create the site first (its defaultHostName is {name}.azurewebsites.net).` } });
      return true;
    }
    if (address.scm) handleKudu(recorder, clock, address, req, res);
    else answerHealth(recorder, clock, address, req, res);
    return true;
  };
}

function hostOf(req: IncomingMessage): string | undefined {
  const host = req.headers.host?.toLowerCase().replace(/:\d+$/, '');
  if (host !== undefined && isAppServiceHost(host)) return host;
  // Without a matching Host header, the TLS server name (SNI) still tells which app the client wanted.
  const servername = (req.socket as Partial<TLSSocket>).servername;
  return typeof servername === 'string' && servername !== '' ? servername.toLowerCase() : host;
}

function isAppServiceHost(host: string | undefined): boolean {
  return host !== undefined && host.endsWith('.azurewebsites.net');
}

function addressOf(recorder: AppWorldRecorder, req: IncomingMessage): AppAddress | undefined {
  const host = hostOf(req);
  return host === undefined || !isAppServiceHost(host) ? undefined : recorder.appByHost(host);
}

function answerHealth(recorder: AppWorldRecorder, clock: SimClock, address: AppAddress, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const answer = recorder.health(address.appId, clock.now());
  send(res, answer.status, answer.body, req.method === 'HEAD');
}

function handleKudu(recorder: AppWorldRecorder, clock: SimClock, address: AppAddress, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'https://kudu.invalid').pathname.replace(/\/+$/, '').toLowerCase();
  if (!/^Bearer\s+\S+$/i.test(req.headers.authorization ?? '')) {
    req.resume();
    send(res, 401, { Message: 'Authorization has been denied for this request. Send an Entra ID access token as "Authorization: Bearer <token>".' }, false, { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  if (path !== '/api/command') {
    req.resume();
    send(res, 404, { Message: `The simulated Kudu answers only POST /api/command; got '${path}'.` });
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    send(res, 405, { Message: 'The requested resource does not support http method \'' + (req.method ?? '') + '\'.' }, false, { Allow: 'POST' });
    return;
  }
  readJson(req)
    .then((body) => {
      const command = typeof body === 'object' && body !== null && typeof (body as { command?: unknown }).command === 'string' ? (body as { command: string }).command : undefined;
      if (command === undefined) {
        send(res, 400, { Message: 'The request body must be JSON {"command": "...", "dir": "..."}.' });
        return;
      }
      send(res, 200, recorder.command(address.appId, command, clock.now()));
    })
    .catch((error: unknown) => {
      send(res, 400, { Message: error instanceof Error ? error.message : String(error) });
    });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_COMMAND_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_COMMAND_BODY_BYTES) {
        reject(new Error(`The command body exceeds ${MAX_COMMAND_BODY_BYTES} bytes.`));
        return;
      }
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text.trim() === '' ? undefined : (JSON.parse(text) as unknown));
      } catch {
        reject(new Error('The request body is not valid JSON.'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, head = false, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-cache', ...headers });
  res.end(head ? undefined : text);
}
