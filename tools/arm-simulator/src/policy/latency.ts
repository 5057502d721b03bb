/**
 * Per-operation latency. A LatencySpec gives a default and per-'METHOD Provider/type' overrides, each fixed, uniform
 * or normal; samples come from a seeded generator so a scenario's timing replays identically.
 */
import type { ArmRequestInfo, LatencyModel, LatencySpec } from '../contract.js';
import { seededRandom, type RandomSource } from './prng.js';

type Distribution = NonNullable<LatencySpec['default']>;

/** 'PUT Microsoft.Network/virtualNetworks/subnets' for a request on .../virtualNetworks/v/subnets/s. */
export function operationKey(request: Pick<ArmRequestInfo, 'method' | 'path'>): string {
  const match = /\/providers\/([^/]+)\/(.+)$/i.exec(request.path);
  if (match === null) return `${request.method} ${request.path.split('/').filter((_, i) => i % 2 === 1).join('/')}`;
  const [, provider = '', rest = ''] = match;
  const types = rest.split('/').filter((segment, i) => i % 2 === 0 && segment !== '');
  return `${request.method} ${provider}/${types.join('/')}`;
}

function sample(distribution: Distribution, random: RandomSource): number {
  if (typeof distribution === 'number') return Math.max(0, distribution);
  if ('min' in distribution) return distribution.min + random() * (distribution.max - distribution.min);
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, distribution.mean + z * distribution.stddev);
}

export function createLatencyModel(spec: LatencySpec = {}, seed = 1): LatencyModel {
  const random = seededRandom(seed);
  const perOperation = new Map<string, Distribution>();
  for (const [key, value] of Object.entries(spec.perOperation ?? {})) perOperation.set(key.toLowerCase(), value);
  return {
    delayFor(request: ArmRequestInfo): number {
      const distribution = perOperation.get(operationKey(request).toLowerCase()) ?? spec.default;
      return distribution === undefined ? 0 : sample(distribution, random);
    },
  };
}
