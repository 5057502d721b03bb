/**
 * What the API answers, as the CLI reads it. The migration and app views are the service's own (src/http), so a
 * change there shows up here at compile time; the dry run and history bodies are spelled out as the handlers build them.
 */
import type { DiscoveredGateway, DiscoveryStats } from '../azure/discovery/fleet-discovery.js';
import type { MigrationPlan } from '../domain/plan-builder.js';
import type { MigrationScope } from '../domain/migration-request.js';
import type { appView, migrationView } from '../http/migration-views.js';

export type MigrationView = ReturnType<typeof migrationView>;
export type AppView = ReturnType<typeof appView>;

export interface DryRunView {
  readonly dryRun: true;
  readonly scope: MigrationScope;
  readonly discovered: {
    readonly apps: number;
    readonly plans: number;
    readonly virtualNetworks: number;
    readonly gateways: readonly DiscoveredGateway[];
    readonly stats: DiscoveryStats;
  };
  readonly plan: MigrationPlan;
}

/** 202 of POST /api/migrations and of pause/resume/cancel. */
export interface AcceptedView {
  readonly id: string;
  readonly statusUri: string;
  readonly action?: string;
}

export interface HistoryEntryView {
  readonly migrationId: string;
  readonly time: string;
  readonly action: string;
  readonly outcome: string;
  readonly message: string | null;
  readonly before: unknown;
  readonly after: unknown;
}
