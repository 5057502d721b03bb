import type { SiteConfigResource, Site, SitePatchResource, StringDictionary, VnetInfoResource } from '@azure/arm-appservice';
import { InvalidResourceIdError, parseResourceId } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import { parseJsonText } from '../arm-raw-request.js';
import { sdkOptions, type OperationOptions } from './operation-options.js';

/** A site as the SDK models it, plus what the SDK's model drops: the raw properties and the URL it was read from. */
export interface SiteRead {
  readonly site: Site;
  /** `properties` exactly as the service sent them (the 19.x model drops the flat vnet*Enabled flags). */
  readonly rawProperties: Readonly<Record<string, unknown>>;
  /** The request URL, api-version included: a raw write to it speaks the same version as the read. */
  readonly url: string;
}

/**
 * One app (site or slot) and the calls the migration makes on it. Every SDK call has a site and a *Slot variant
 * with the slot name in a different position; this is the one place that chooses, so the operations read as one
 * code path.
 */
export class AppTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly site: string;
  readonly slot: string | undefined;
  readonly clients: ArmClients;
  private readonly web: ArmClients['web']['webApps'];

  constructor(
    readonly appId: string,
    private readonly opts: OperationOptions,
  ) {
    const parsed = parseResourceId(appId);
    if (parsed.kind !== 'site' && parsed.kind !== 'slot') {
      throw new InvalidResourceIdError(appId, `expected a site or slot id but this is a ${parsed.kind} id`, { value: parsed.kind, expected: 'site or slot' });
    }
    this.subscriptionId = parsed.subscriptionId;
    this.resourceGroup = parsed.resourceGroup;
    this.site = parsed.kind === 'site' ? parsed.name : parsed.site;
    this.slot = parsed.kind === 'slot' ? parsed.name : undefined;
    this.clients = opts.clientsFor(parsed.subscriptionId);
    this.web = this.clients.web.webApps;
  }

  /** The app's name as people say it: `site` or `site/slot`. */
  get name(): string {
    return this.slot === undefined ? this.site : `${this.site}/${this.slot}`;
  }

  private get signal(): { abortSignal?: AbortSignal } {
    return this.opts.abortSignal === undefined ? {} : { abortSignal: this.opts.abortSignal };
  }

  async readSite(): Promise<SiteRead> {
    let url = '';
    let raw: unknown;
    const options = {
      ...this.signal,
      onResponse: (response: { readonly request: { readonly url: string }; readonly parsedBody?: unknown; readonly bodyAsText?: string | null }) => {
        url = response.request.url;
        raw = response.parsedBody ?? parseJsonText(response.bodyAsText);
      },
    };
    const site = this.slot === undefined ? await this.web.get(this.resourceGroup, this.site, options) : await this.web.getSlot(this.resourceGroup, this.site, this.slot, options);
    const properties = (raw as { properties?: unknown } | undefined)?.properties;
    return { site, url, rawProperties: typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {} };
  }

  putSite(body: Site): Promise<Site> {
    const options = sdkOptions(this.opts);
    return this.slot === undefined
      ? this.web.createOrUpdate(this.resourceGroup, this.site, body, options)
      : this.web.createOrUpdateSlot(this.resourceGroup, this.site, this.slot, body, options);
  }

  patchSite(body: SitePatchResource): Promise<Site> {
    return this.slot === undefined
      ? this.web.update(this.resourceGroup, this.site, body, this.signal)
      : this.web.updateSlot(this.resourceGroup, this.site, this.slot, body, this.signal);
  }

  getConfiguration(): Promise<SiteConfigResource> {
    return this.slot === undefined
      ? this.web.getConfiguration(this.resourceGroup, this.site, this.signal)
      : this.web.getConfigurationSlot(this.resourceGroup, this.site, this.slot, this.signal);
  }

  patchConfiguration(config: SiteConfigResource): Promise<SiteConfigResource> {
    return this.slot === undefined
      ? this.web.updateConfiguration(this.resourceGroup, this.site, config, this.signal)
      : this.web.updateConfigurationSlot(this.resourceGroup, this.site, this.slot, config, this.signal);
  }

  listVnetConnections(): Promise<VnetInfoResource[]> {
    return this.slot === undefined
      ? this.web.listVnetConnections(this.resourceGroup, this.site, this.signal)
      : this.web.listVnetConnectionsSlot(this.resourceGroup, this.site, this.slot, this.signal);
  }

  putVnetConnection(name: string, connection: VnetInfoResource): Promise<VnetInfoResource> {
    return this.slot === undefined
      ? this.web.createOrUpdateVnetConnection(this.resourceGroup, this.site, name, connection, this.signal)
      : this.web.createOrUpdateVnetConnectionSlot(this.resourceGroup, this.site, name, this.slot, connection, this.signal);
  }

  deleteVnetConnection(name: string): Promise<void> {
    return this.slot === undefined
      ? this.web.deleteVnetConnection(this.resourceGroup, this.site, name, this.signal)
      : this.web.deleteVnetConnectionSlot(this.resourceGroup, this.site, name, this.slot, this.signal);
  }

  deleteRegionalIntegration(): Promise<void> {
    return this.slot === undefined
      ? this.web.deleteSwiftVirtualNetwork(this.resourceGroup, this.site, this.signal)
      : this.web.deleteSwiftVirtualNetworkSlot(this.resourceGroup, this.site, this.slot, this.signal);
  }

  /** App settings WITH values: keep the result in memory only, never in a record, log or error. */
  listApplicationSettings(): Promise<StringDictionary> {
    return this.slot === undefined
      ? this.web.listApplicationSettings(this.resourceGroup, this.site, this.signal)
      : this.web.listApplicationSettingsSlot(this.resourceGroup, this.site, this.slot, this.signal);
  }

  /** PUT config/appsettings: replaces the whole set. */
  replaceApplicationSettings(properties: Record<string, string>): Promise<StringDictionary> {
    return this.slot === undefined
      ? this.web.updateApplicationSettings(this.resourceGroup, this.site, { properties }, this.signal)
      : this.web.updateApplicationSettingsSlot(this.resourceGroup, this.site, this.slot, { properties }, this.signal);
  }
}
