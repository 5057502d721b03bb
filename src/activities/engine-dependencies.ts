/**
 * What the engine's activities work with, handed in by the composition root (src/functions/engine-host.ts), so
 * each activity is a plain function of its dependencies and tests can build them over the simulator and Azurite.
 */
import type { ArmClients } from '../azure/arm-clients.js';
import type { StateTables } from '../state/state-tables.js';

export interface ProbeSettings {
  /** host:port to connect to instead of resolving the app's host name (private DNS, the local simulator). */
  readonly connectAddress?: string;
  /** Extra CA certificates (PEM) to trust for the app's and Kudu's HTTPS. */
  readonly caPem?: string;
  /** A Microsoft Entra token Kudu accepts (the ARM audience). */
  readonly token: () => Promise<string>;
  readonly timeoutInMs: number;
}

export interface EngineDependencies {
  readonly state: StateTables;
  readonly clientsFor: (subscriptionId: string) => ArmClients;
  readonly probes: ProbeSettings;
  /** LRO polling interval; the SDK's default (2 s or Retry-After) when absent. */
  readonly pollIntervalInMs?: number;
  /** Microsoft.Web api-version the site writes use; decides the routing property shape the planner emits. */
  readonly webApiVersion: string;
  readonly now: () => Date;
}
