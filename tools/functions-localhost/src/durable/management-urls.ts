/**
 * The URLs of the Durable management API, in the exact formats the Durable Functions extension publishes: the
 * durableClient binding value that durable-functions' `getClient` reads, and the check-status payload that
 * `POST orchestrators/...` answers with.
 */

/** Where the extension's webhooks live under the app's origin. */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';

/** The placeholder the SDK replaces with an instance id in every management URL. */
export const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

export interface ManagementUrls {
  readonly id: string;
  readonly statusQueryGetUri: string;
  readonly sendEventPostUri: string;
  readonly terminatePostUri: string;
  readonly rewindPostUri: string;
  readonly purgeHistoryDeleteUri: string;
  readonly restartPostUri: string;
  readonly suspendPostUri: string;
  readonly resumePostUri: string;
}

export interface CreationUrls {
  readonly createNewInstancePostUri: string;
  readonly createAndWaitOnNewInstancePostUri: string;
}

/** The value of a `durableClient` input binding (OrchestrationClientInputData in durable-functions). */
export interface DurableClientBindingValue {
  readonly taskHubName: string;
  readonly creationUrls: CreationUrls;
  readonly managementUrls: ManagementUrls;
  readonly baseUrl: string;
  readonly requiredQueryStringParameters: string;
  /** Must end in '/': the SDK resolves relative paths such as `instances/{id}` against it. */
  readonly rpcBaseUrl: string;
}

/** What `POST orchestrators/...` answers: the extension leaves rewindPostUri out of this body. */
export type CheckStatusPayload = Omit<ManagementUrls, 'rewindPostUri'>;

export interface HubAddress {
  readonly taskHubName: string;
  readonly connectionName: string;
}

/**
 * Accepts the host's origin ("http://127.0.0.1:7071") or the webhook base itself, with or without a trailing
 * slash, and returns the webhook base without one.
 */
export function webhookBase(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl '${baseUrl}' is not an absolute URL; pass the host's origin, e.g. http://127.0.0.1:7071.`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const webhookPath = path.endsWith(WEBHOOK_PATH) ? path : `${path}${WEBHOOK_PATH}`;
  return `${parsed.origin}${webhookPath}`;
}

/** taskHub and connection, as every management URL of the extension carries them (no system key locally). */
export function hubQuery(hub: HubAddress): string {
  return `taskHub=${encodeURIComponent(hub.taskHubName)}&connection=${encodeURIComponent(hub.connectionName)}`;
}

/** Management URLs for one instance id (already URL-encoded) or for the placeholder. */
export function managementUrls(base: string, hub: HubAddress, encodedInstanceId: string, rawId: string): ManagementUrls {
  const suffix = hubQuery(hub);
  const instance = `${base}/instances/${encodedInstanceId}`;
  return {
    id: rawId,
    statusQueryGetUri: `${instance}?${suffix}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${suffix}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${suffix}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${suffix}`,
    purgeHistoryDeleteUri: `${instance}?${suffix}`,
    restartPostUri: `${instance}/restart?${suffix}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${suffix}`,
    resumePostUri: `${instance}/resume?reason={text}&${suffix}`,
  };
}

export function clientBindingValue(base: string, hub: HubAddress): DurableClientBindingValue {
  const suffix = hubQuery(hub);
  const creationPrefix = `${base}/orchestrators/{functionName}[/{instanceId}]`;
  return {
    taskHubName: hub.taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${creationPrefix}?${suffix}`,
      createAndWaitOnNewInstancePostUri: `${creationPrefix}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${suffix}`,
    },
    managementUrls: managementUrls(base, hub, INSTANCE_ID_PLACEHOLDER, INSTANCE_ID_PLACEHOLDER),
    baseUrl: base,
    requiredQueryStringParameters: suffix,
    rpcBaseUrl: `${base}/`,
  };
}

export function checkStatusPayload(base: string, hub: HubAddress, instanceId: string): CheckStatusPayload {
  const { rewindPostUri: _omitted, ...payload } = managementUrls(base, hub, encodeURIComponent(instanceId), instanceId);
  return payload;
}
