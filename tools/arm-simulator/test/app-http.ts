import { request } from 'node:https';
import type { SimulatorHandle } from '../src/index.js';

export interface AppHttpAnswer {
  readonly status: number;
  readonly text: string;
  json<T>(): T;
}

/** A request to an app host on the simulator, reached as a client reaches Azure: SNI and Host name the app. */
export function appRequest(
  sim: SimulatorHandle,
  host: string,
  options: { path?: string; method?: string; body?: unknown; token?: string | undefined; hostHeader?: boolean } = {},
): Promise<AppHttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(options.hostHeader === false ? {} : { host }),
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sim.port, path: options.path ?? '/', method: options.method ?? 'GET', servername: host, headers, ca: sim.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface HealthBody {
  readonly app: string;
  readonly status: 'Healthy' | 'Unhealthy' | 'Restarting';
  readonly dependencies: readonly { target: string; reachable: boolean; reason: string }[];
}

export interface KuduBody {
  readonly Output: string;
  readonly Error: string;
  readonly ExitCode: number;
}

export function tcpping(sim: SimulatorHandle, site: string, target: string): Promise<KuduBody> {
  return appRequest(sim, `${site}.scm.azurewebsites.net`, { method: 'POST', path: '/api/command', token: 'opaque', body: { command: `tcpping ${target}`, dir: 'site\\wwwroot' } }).then((a) => a.json<KuduBody>());
}
