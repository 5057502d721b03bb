/**
 * The subscription ids a scenario's resources live in, in first-seen order: what a newcomer needs to scope a
 * migration of the simulated world (printed by `npm start` and `npm run simulator`).
 */
import type { Scenario } from '../contract.js';

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)\//i;

export function scenarioSubscriptions(scenario: Pick<Scenario, 'resources'>): string[] {
  const seen = new Map<string, string>();
  for (const resource of scenario.resources) {
    const id = SUBSCRIPTION.exec(resource.id)?.[1];
    if (id !== undefined && !seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
  }
  return [...seen.values()];
}
