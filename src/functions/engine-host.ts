/**
 * The composition root: builds the engine's dependencies once per process from the app settings — ARM clients per
 * subscription (with App Service's errors made readable), the credential, Table Storage, the probes' settings.
 * Built lazily so that a function that never touches ARM (health) does not need ARM settings to be valid.
 */
import type { EngineDependencies } from '../activities/engine-dependencies.js';
import { createArmClients, type ArmClients } from '../azure/arm-clients.js';
import { createArmCredential } from '../azure/arm-credential.js';
import { readArmSettings } from '../azure/arm-settings.js';
import { WEB_API_VERSION } from '../azure/web-api-version.js';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { openStateTables, type StateTables, type TableServiceEndpoint } from '../state/state-tables.js';
import { readEngineSettings, type EngineSettings } from './engine-settings.js';
import { sharedUntilFailure } from './shared-until-failure.js';

export interface EngineHost {
  readonly deps: EngineDependencies;
  readonly settings: EngineSettings;
}

const ARM_SCOPE = 'https://management.azure.com/.default';

/**
 * The state tables' connection, read like the Functions host reads AzureWebJobsStorage: a connection string when
 * set; else an identity-based connection (`AzureWebJobsStorage__tableServiceUri`, or `__accountName` on the public
 * cloud's endpoint, with the managed identity `__clientId` when given), which is how infra/ deploys it, with no key
 * in any setting; else the local emulator.
 */
export function storageConnection(env: Readonly<Record<string, string | undefined>> = process.env): string | TableServiceEndpoint {
  const connectionString = env['AzureWebJobsStorage'];
  if (connectionString) return connectionString;
  const account = env['AzureWebJobsStorage__accountName'];
  const tableServiceUrl = env['AzureWebJobsStorage__tableServiceUri'] || (account ? `https://${account}.table.core.windows.net` : undefined);
  if (tableServiceUrl === undefined) return 'UseDevelopmentStorage=true';
  const clientId = env['AzureWebJobsStorage__clientId'];
  return { tableServiceUrl, credential: clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential() };
}

/** Table Storage alone, for the HTTP reads (they need no ARM settings). */
export const stateTables: () => Promise<StateTables> = sharedUntilFailure(() => openStateTables(storageConnection()));

export const engineHost: () => Promise<EngineHost> = sharedUntilFailure(build);

async function build(): Promise<EngineHost> {
  const arm = readArmSettings();
  const settings = readEngineSettings();
  const credential = createArmCredential(arm);
  const clients = new Map<string, ArmClients>();
  const clientsFor = (subscriptionId: string): ArmClients => {
    const key = subscriptionId.toLowerCase();
    let found = clients.get(key);
    if (found === undefined) {
      found = createArmClients(credential, subscriptionId, { endpoint: arm.endpoint, webApiVersion: WEB_API_VERSION });
      clients.set(key, found);
    }
    return found;
  };
  const state = await stateTables();
  const deps: EngineDependencies = {
    state,
    clientsFor,
    probes: {
      timeoutInMs: settings.probeTimeoutInMs,
      token: async () => (await credential.getToken(ARM_SCOPE))?.token ?? '',
      ...(settings.appEndpointAddress === undefined ? {} : { connectAddress: settings.appEndpointAddress }),
    },
    ...(settings.lroPollIntervalInMs === undefined ? {} : { pollIntervalInMs: settings.lroPollIntervalInMs }),
    webApiVersion: WEB_API_VERSION,
    now: () => new Date(),
  };
  return { deps, settings };
}
