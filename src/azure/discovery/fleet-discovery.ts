/**
 * What fleet discovery answers: the planner's inventory, plus the facts about apps, VPN gateways and peerings that
 * later steps (verification, snapshots, reporting) need and the inventory schema has no place for.
 */
import type { Inventory } from '../../domain/inventory.js';
import type { RoutingSwitches } from '../../domain/migration-model.js';
import type { ArmClients } from '../arm-clients.js';

export interface DiscoveryOptions {
  /** ArmClients for a subscription (created and cached by the caller). */
  readonly clientsFor: (subscriptionId: string) => ArmClients;
  /** Most ARM calls in flight at once per subscription (default 16): ARM's read limits are per subscription. */
  readonly concurrency?: number;
  /** Most ARM calls in flight at once over all subscriptions (default 64). */
  readonly totalConcurrency?: number;
  /** The wait before a failed read's first retry, doubling after (default 500 ms). */
  readonly firstRetryDelayInMs?: number;
  readonly abortSignal?: AbortSignal;
}

export interface DiscoveredApp {
  readonly appId: string;
  readonly hostName: string;
  /** The Kudu (SCM) host name, where tcpping and nameresolver run. */
  readonly scmHostName: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The routing switches as read: the site's outboundVnetRouting; when the site carries none (api-versions before
   * 2025-03-01), config/web's vnetRouteAllEnabled for application traffic, the others false.
   */
  readonly routing: RoutingSwitches;
}

export interface DiscoveredGateway {
  readonly id: string;
  readonly vnetId: string;
  readonly location: string;
  readonly sku: { readonly name: string; readonly tier: string };
  /** A point-to-site configuration exists (vpnClientConfiguration): what gateway-based integration connects through. */
  readonly pointToSite: boolean;
}

export interface DiscoveredPeering {
  readonly id: string;
  readonly vnetId: string;
  readonly remoteVnetId: string;
  readonly state: string;
  readonly allowGatewayTransit: boolean;
  readonly useRemoteGateways: boolean;
}

export interface DiscoveryStats {
  readonly armReads: number;
  readonly armPosts: number;
  /** Reads tried again after a retryable failure. */
  readonly retries: number;
  readonly durationInMs: number;
}

export interface FleetDiscovery {
  /** Validated with parseInventory. */
  readonly inventory: Inventory;
  /** One per inventory app (sites and slots), sorted by id. */
  readonly apps: readonly DiscoveredApp[];
  /** VPN gateways in the VNets the apps' gateway connections use. */
  readonly gateways: readonly DiscoveredGateway[];
  /** Every peering of the inventory's VNets. */
  readonly peerings: readonly DiscoveredPeering[];
  readonly stats: DiscoveryStats;
}

export const DEFAULT_DISCOVERY_CONCURRENCY = 16;
export const DEFAULT_DISCOVERY_TOTAL_CONCURRENCY = 64;
