/**
 * The app as its users and its dependencies see it: the health path over HTTPS, and each known dependency through
 * Kudu's tcpping from inside the app's sandbox (so through whichever integration it has at that moment).
 */
import { kuduTcpping, probeHealth, type ProbeOptions } from '../azure/app-probes/index.js';
import type { EngineDependencies } from './engine-dependencies.js';

export interface Reachability {
  readonly healthy: boolean;
  readonly status: number;
  readonly problems: readonly string[];
  /** Dependencies the health page listed (plus the operator's), with tcpping's average time, or -1 when unreachable. */
  readonly latencyInMs: Readonly<Record<string, number>>;
}

export function probeOptions(deps: EngineDependencies): ProbeOptions {
  return {
    timeoutInMs: deps.probes.timeoutInMs,
    token: deps.probes.token,
    ...(deps.probes.connectAddress === undefined ? {} : { connectAddress: deps.probes.connectAddress }),
    ...(deps.probes.caPem === undefined ? {} : { caPem: deps.probes.caPem }),
  };
}

export async function checkReachability(
  deps: EngineDependencies,
  hosts: { readonly hostName?: string; readonly scmHostName?: string },
  healthPath: string,
  /** Which dependencies to tcpping, given those the health page listed. */
  dependencies: (listedByHealthPage: readonly string[]) => readonly string[],
): Promise<Reachability> {
  if (hosts.hostName === undefined || hosts.hostName === '') return { healthy: false, status: 0, problems: ['the app has no default host name to probe'], latencyInMs: {} };
  const options = probeOptions(deps);
  const health = await probeHealth(hosts.hostName, healthPath, options);
  const problems: string[] = [];
  if (!health.healthy) problems.push(`https://${hosts.hostName}${healthPath} answered ${health.status === 0 ? (health.error ?? 'nothing') : health.status}`);
  const targets = [...new Set(dependencies(health.dependencies))];
  const latencyInMs: Record<string, number> = {};
  if (hosts.scmHostName !== undefined && hosts.scmHostName !== '') {
    for (const target of targets) {
      const ping = await kuduTcpping(hosts.scmHostName, target, options);
      latencyInMs[target] = ping.ok ? (ping.averageInMs ?? 0) : -1;
      if (!ping.ok) problems.push(`tcpping ${target} failed from the app`);
    }
  }
  return { healthy: health.healthy, status: health.status, problems, latencyInMs };
}
