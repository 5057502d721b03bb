import type { LegacyRoutingSettings } from '../../domain/inventory.js';
import { LEGACY_ROUTING_SETTINGS } from '../../domain/routing.js';

export interface AppSettingFacts {
  /** Every setting's name, sorted. */
  readonly appSettingNames: readonly string[];
  /** The values of the three legacy routing switches that are set; no other value. */
  readonly routingSettings: LegacyRoutingSettings;
}

/**
 * Reduces an app's settings to what planning may know: names, and the values of the legacy routing switches
 * (matched case-insensitively, as App Service treats setting names). Other values may be secrets: they are
 * dropped here, right after the read, and never stored, logged or returned.
 */
export function appSettingFacts(values: Readonly<Record<string, string>> | undefined): AppSettingFacts {
  const names = Object.keys(values ?? {});
  const routingSettings: Record<string, string> = {};
  for (const legacy of LEGACY_ROUTING_SETTINGS) {
    const name = names.find((n) => n.toLowerCase() === legacy.toLowerCase());
    const value = name === undefined ? undefined : values?.[name];
    if (value !== undefined) routingSettings[legacy] = value;
  }
  return { appSettingNames: [...names].sort(), routingSettings };
}
