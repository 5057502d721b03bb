/**
 * Resolves a scenario by name or file: 'empty', 'demo', the bundled generated fleets ('fleet-1000', 'fleet-10000'
 * or 'fleet-<apps>[-seed-<n>]'), or a path to a JSON file that must pass the schema.
 */
import { readFile } from 'node:fs/promises';
import type { Scenario } from '../contract.js';
import { demoScenario } from './demo.js';
import { ScenarioError } from './errors.js';
import { generateFleet } from './generate.js';
import { parseScenario } from './schema.js';

export const BUNDLED_SCENARIOS = ['empty', 'demo', 'fleet-1000', 'fleet-10000'] as const;

export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const name = nameOrPath.trim();
  if (name === 'empty') return { name: 'empty', resources: [] };
  if (name === 'demo') return demoScenario();
  const fleet = /^fleet-(\d+)(?:-seed-(\d+))?$/.exec(name);
  if (fleet !== null) return generateFleet({ apps: Number(fleet[1]), seed: Number(fleet[2] ?? 1) });
  let text: string;
  try {
    text = await readFile(name, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ScenarioError('ScenarioNotFound', `Scenario '${name}' is neither a bundled scenario (${BUNDLED_SCENARIOS.join(', ')}, fleet-<apps>[-seed-<n>]) nor an existing JSON file.`);
    }
    throw new ScenarioError('ScenarioUnreadable', `Scenario file '${name}' could not be read: ${(error as Error).message}`, true);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError('ScenarioInvalid', `Scenario file '${name}' is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, `Scenario file '${name}'`);
}
