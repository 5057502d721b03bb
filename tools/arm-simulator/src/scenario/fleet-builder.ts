/**
 * Collects a fleet's resources by kind and emits them in dependency order (NSGs, VNets with subnets, gateways,
 * peerings, plans, sites, slots, app settings, gateway-based connections), so seeding never PUTs a resource before
 * the resources it references.
 */
import type { ScenarioDependency, ScenarioOnPremisesNetwork, ScenarioResource } from '../contract.js';

const PHASES = ['nsg', 'vnet', 'gateway', 'peering', 'plan', 'site', 'slot', 'settings', 'connection'] as const;
export type Phase = (typeof PHASES)[number];

export class FleetBuilder {
  private readonly phases = new Map<Phase, ScenarioResource[]>(PHASES.map((p) => [p, []]));
  readonly dependencies: ScenarioDependency[] = [];
  readonly dns: Record<string, string> = {};
  readonly onPremises: ScenarioOnPremisesNetwork[] = [];

  add(phase: Phase, ...resources: ScenarioResource[]): void {
    this.phases.get(phase)?.push(...resources);
  }

  depend(appId: string, host: string, address: string, port: number, description: string): void {
    this.dns[host] = address;
    this.dependencies.push({ appId, target: `${host}:${port}`, description });
  }

  resources(): ScenarioResource[] {
    return PHASES.flatMap((p) => this.phases.get(p) ?? []);
  }
}
