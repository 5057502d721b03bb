import { parseJsonText } from '../arm-raw-request.js';
import { appHttps } from './app-https.js';
import type { ProbeOptions } from './probe-options.js';

export interface HealthProbe {
  readonly status: number;
  readonly healthy: boolean;
  /** The targets the health body lists, when it is JSON with dependencies[].target; else empty. */
  readonly dependencies: string[];
  readonly elapsedInMs: number;
  /** Why there is no status (connection refused, timeout), when status is 0. */
  readonly error?: string;
}

/** GET https://{hostName}{path}: healthy on 2xx. Never throws: an unreachable app is an answer, status 0. */
export async function probeHealth(hostName: string, path: string, opts: ProbeOptions): Promise<HealthProbe> {
  const started = performance.now();
  try {
    const answer = await appHttps(hostName, path.startsWith('/') ? path : `/${path}`, opts, { method: 'GET' });
    return { status: answer.status, healthy: answer.status >= 200 && answer.status < 300, dependencies: dependencyTargets(parseJsonText(answer.text)), elapsedInMs: answer.elapsedInMs };
  } catch (error) {
    return { status: 0, healthy: false, dependencies: [], elapsedInMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
}

function dependencyTargets(body: unknown): string[] {
  const dependencies = (body as { dependencies?: unknown } | undefined)?.dependencies;
  if (!Array.isArray(dependencies)) return [];
  return dependencies.flatMap((d: unknown) => {
    const target = (d as { target?: unknown } | null)?.target;
    return typeof target === 'string' && target !== '' ? [target] : [];
  });
}
