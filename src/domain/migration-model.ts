/**
 * The vocabulary of a running migration, shared by the engine, its state and its HTTP surface: the migration's
 * status, each app's phase (where it is) and outcome (how it ended), and the networking snapshot an app is rolled
 * back to.
 */
import type { ErrorRecord } from './errors.js';
import type { LegacyRoutingSettingName } from './routing.js';

export const MIGRATION_STATUSES = ['Pending', 'Running', 'Paused', 'Completed', 'Failed', 'Canceled'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** How an app ended (or that it has not yet). */
export const APP_OUTCOMES = ['pending', 'inProgress', 'succeeded', 'rolledBack', 'failed', 'skipped'] as const;
export type AppOutcome = (typeof APP_OUTCOMES)[number];

/** Where an app is in its move; `done` once it has an outcome other than pending/inProgress. */
export const APP_PHASES = ['planned', 'snapshot', 'routing', 'disconnect', 'connect', 'verify', 'cleanup', 'rollback', 'done'] as const;
export type AppPhase = (typeof APP_PHASES)[number];

/** What the operator asked the fleet to do; the fleet and its plan groups read it between apps. */
export type FleetControl = 'run' | 'pause' | 'cancel';

export interface MigrationSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly rolledBack: number;
  readonly failed: number;
  readonly skipped: number;
  readonly pending: number;
  readonly inProgress: number;
}

/** The routing switches as ARM stores them (outboundVnetRouting; the flat vnet*Enabled fields are the same truth). */
export interface RoutingSwitches {
  readonly allTraffic: boolean;
  readonly applicationTraffic: boolean;
  readonly contentShareTraffic: boolean;
  readonly imagePullTraffic: boolean;
  readonly backupRestoreTraffic: boolean;
}

export interface GatewayConnectionSnapshot {
  /** The connection's name under sites/{n}/virtualNetworkConnections (the VNet's name). */
  readonly name: string;
  readonly vnetResourceId: string;
  readonly resyncRequired?: boolean;
  readonly dnsServers?: string;
}

/**
 * Everything about an app's networking that the migration changes, exactly as read before the first change; the
 * app is rolled back to this and compared with it field by field. Setting NAMES only, plus the values of the three
 * legacy routing switches (they are restored if removed). Never any other setting value.
 */
export interface AppNetworkSnapshot {
  readonly appId: string;
  readonly takenTime: string;
  readonly virtualNetworkSubnetId: string | null;
  readonly routing: RoutingSwitches;
  readonly gatewayConnections: readonly GatewayConnectionSnapshot[];
  readonly appSettingNames: readonly string[];
  readonly legacyRoutingSettings: Readonly<Partial<Record<LegacyRoutingSettingName, string>>>;
}

/** An activity's answer: its value, or a failure as data (durable-functions loses an error's class when it throws). */
export type StepResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorRecord & { readonly retryAfterInMs?: number } };
