import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { request } from 'node:https';
import type { ProbeOptions } from './probe-options.js';

export interface AppHttpsAnswer {
  readonly status: number;
  readonly text: string;
  readonly elapsedInMs: number;
}

/** Splits "host:port" (IPv6 as "[::1]:443"); the port defaults to 443. */
function splitHostPort(address: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(address) ?? /^([^:]+)(?::(\d+))?$/.exec(address);
  if (match?.[1] === undefined) throw new Error(`connectAddress '${address}' is not host:port`);
  return { host: match[1], port: match[2] === undefined ? 443 : Number(match[2]) };
}

/**
 * One HTTPS request to an app host, as a client on the internet (or in the VNet) makes it: SNI and Host are the
 * app's host name. With `connectAddress` the TCP connection goes there instead of where DNS points; this is done
 * with the request's own `lookup`, so nothing global (no /etc/hosts, no process-wide DNS hook) changes. Times out
 * by aborting the request. Never throws for an HTTP status; throws for a connection that fails or times out.
 */
export function appHttps(
  hostName: string,
  path: string,
  options: ProbeOptions,
  request_: { readonly method: 'GET' | 'POST'; readonly body?: unknown; readonly token?: string },
): Promise<AppHttpsAnswer> {
  const started = performance.now();
  const target = options.connectAddress === undefined ? undefined : splitHostPort(options.connectAddress);
  // Resolve connectAddress's host instead of the app's, with the socket's own options (family, all).
  const lookup: LookupFunction | undefined =
    target === undefined ? undefined : (_hostname, lookupOptions, callback) => dnsLookup(target.host, lookupOptions, callback);
  const payload = request_.body === undefined ? undefined : JSON.stringify(request_.body);
  const signal = AbortSignal.timeout(options.timeoutInMs);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostName,
        port: target?.port ?? 443,
        path,
        method: request_.method,
        servername: hostName,
        signal,
        ...(lookup === undefined ? {} : { lookup }),
        ...(options.caPem === undefined ? {} : { ca: options.caPem }),
        headers: {
          host: hostName,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...(request_.token === undefined ? {} : { authorization: `Bearer ${request_.token}` }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), elapsedInMs: Math.round(performance.now() - started) }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      reject(signal.aborted ? new Error(`no answer from ${hostName} within ${options.timeoutInMs} ms`) : error);
    });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
