import type { Site } from '@azure/arm-appservice';
import type { RoutingSwitches } from '../../domain/migration-model.js';
import { OUTBOUND_VNET_ROUTING_SINCE, type RoutingPlan } from '../../domain/routing.js';
import { sendArmRequest } from '../arm-raw-request.js';
import type { AppTarget, SiteRead } from './app-target.js';
import { RoutingNotExpressibleError } from './errors.js';

/**
 * The app's outbound routing switches, read and written in whichever form the client's Microsoft.Web api-version
 * speaks. One stored truth has two spellings (tools/arm-simulator/docs/simulator.md, ../shared/notes/arm-surface.md):
 * `outboundVnetRouting{...}` from 2025-03-01, flat `vnet*Enabled` before (allTraffic has no flat form), and
 * `siteConfig.vnetRouteAllEnabled` (config/web) is applicationTraffic in every version.
 */

export const ROUTING_KEYS = ['allTraffic', 'applicationTraffic', 'contentShareTraffic', 'imagePullTraffic', 'backupRestoreTraffic'] as const;
export type RoutingKey = (typeof ROUTING_KEYS)[number];

const FLAT_FLAGS: Readonly<Partial<Record<RoutingKey, string>>> = {
  applicationTraffic: 'vnetRouteAllEnabled',
  imagePullTraffic: 'vnetImagePullEnabled',
  contentShareTraffic: 'vnetContentShareEnabled',
  backupRestoreTraffic: 'vnetBackupRestoreEnabled',
};

export function apiVersionOf(read: SiteRead): string {
  return new URL(read.url).searchParams.get('api-version') ?? '';
}

function speaksOutboundVnetRouting(read: SiteRead): boolean {
  const version = /^\d{4}-\d{2}-\d{2}/.exec(apiVersionOf(read))?.[0];
  // No version in the URL cannot happen with the SDK; the object form is then the safer guess (flat flags would be dropped).
  return version === undefined || version >= OUTBOUND_VNET_ROUTING_SINCE;
}

/** Whether the site itself carries applicationTraffic (object or flat form), so config/web need not be read. */
export function showsApplicationTraffic(read: SiteRead): boolean {
  const object = read.rawProperties['outboundVnetRouting'];
  if (typeof object === 'object' && object !== null && typeof (object as Record<string, unknown>)['applicationTraffic'] === 'boolean') return true;
  return typeof read.rawProperties['vnetRouteAllEnabled'] === 'boolean';
}

/** The five switches as the site shows them; `configRouteAll` (config/web) fills applicationTraffic when the site omits it. */
export function routingOf(read: SiteRead, configRouteAll?: boolean): RoutingSwitches {
  const object = read.rawProperties['outboundVnetRouting'];
  const value = (key: RoutingKey): boolean | undefined => {
    if (typeof object === 'object' && object !== null) {
      const v = (object as Record<string, unknown>)[key];
      if (typeof v === 'boolean') return v;
    }
    const flat = FLAT_FLAGS[key];
    const v = flat === undefined ? undefined : read.rawProperties[flat];
    return typeof v === 'boolean' ? v : undefined;
  };
  return {
    allTraffic: value('allTraffic') ?? false,
    applicationTraffic: value('applicationTraffic') ?? configRouteAll ?? false,
    contentShareTraffic: value('contentShareTraffic') ?? false,
    imagePullTraffic: value('imagePullTraffic') ?? false,
    backupRestoreTraffic: value('backupRestoreTraffic') ?? false,
  };
}

/** The planned site properties, in either shape, as switches (the shapes are two spellings of the same three). */
export function desiredFromPlan(siteProperties: RoutingPlan['siteProperties']): Partial<RoutingSwitches> {
  if ('outboundVnetRouting' in siteProperties) return { ...siteProperties.outboundVnetRouting };
  return {
    applicationTraffic: siteProperties.vnetRouteAllEnabled,
    imagePullTraffic: siteProperties.vnetImagePullEnabled,
    contentShareTraffic: siteProperties.vnetContentShareEnabled,
  };
}

export function differingKeys(current: RoutingSwitches, desired: Partial<RoutingSwitches>): RoutingKey[] {
  return ROUTING_KEYS.filter((key) => desired[key] !== undefined && desired[key] !== current[key]);
}

/**
 * Writes the switches in `desired` that differ from `current`, and only those.
 *
 * With outboundVnetRouting, application routing alone goes through config/web (as `az webapp config set
 * --vnet-route-all-enabled` does); any other switch needs a PUT of the site, the only write that carries
 * outboundVnetRouting in arm-appservice 19.x (SitePatchResource lacks it). That PUT leaves siteConfig out, since a
 * stale vnetRouteAllEnabled sent back would overwrite applicationTraffic. With the flat flags, one PATCH of the
 * site carries them all; it is sent raw because the 19.x models drop the flags.
 */
export async function writeRouting(
  target: AppTarget,
  read: SiteRead,
  current: RoutingSwitches,
  desired: Partial<RoutingSwitches>,
  operation: string,
  abortSignal?: AbortSignal,
): Promise<void> {
  const keys = differingKeys(current, desired);
  if (keys.length === 0) return;
  if (speaksOutboundVnetRouting(read)) {
    if (keys.some((key) => key !== 'applicationTraffic')) {
      const body: Site = { ...read.site, siteConfig: undefined, outboundVnetRouting: { ...current, ...desired } };
      await target.putSite(body);
    } else {
      await target.patchConfiguration({ vnetRouteAllEnabled: desired.applicationTraffic ?? current.applicationTraffic });
    }
    return;
  }
  const properties: Record<string, boolean> = {};
  for (const key of keys) {
    const flat = FLAT_FLAGS[key];
    if (flat === undefined) throw new RoutingNotExpressibleError(operation, `outboundVnetRouting.${key}`, apiVersionOf(read));
    properties[flat] = desired[key] ?? current[key];
  }
  await sendArmRequest(target.clients.web.pipeline, { method: 'PATCH', url: read.url, body: { properties }, ...(abortSignal === undefined ? {} : { abortSignal }) });
}
