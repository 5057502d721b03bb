import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DurableEngine, InstanceFilter, InstanceStatus, RuntimeStatus } from './contract.js';
import { DurableHostError, TERMINAL_STATUSES, instanceNotFound, instanceNotRunning, unknownOrchestrator } from './contract.js';
import {
  ManagementHttpError,
  invalidRequest,
  isJsonContentType,
  readJsonBody,
  requestOrigin,
  sendEmpty,
  sendError,
  sendJson,
  sendText,
} from './management-http.js';
import { booleanParam, dateParam, positiveIntegerParam, queryValue, runtimeStatusParam, secondsParam } from './management-query.js';
import type { DurableClientBindingValue, HubAddress } from './management-urls.js';
import { checkStatusPayload, clientBindingValue, webhookBase, WEBHOOK_PATH } from './management-urls.js';

/**
 * The Durable Functions HTTP management API (the routes under /runtime/webhooks/durabletask/) over a DurableEngine.
 * durable-functions' DurableClient calls these routes through `rpcBaseUrl`; people and scripts call them through
 * the URLs createCheckStatusResponse hands out. Status codes follow the Durable Functions extension's own
 * HttpApiHandler, so code that works here behaves the same against Azure.
 */

export interface ManagementApiOptions {
  /** The host's origin as clients reach it, e.g. http://127.0.0.1:7071 (the webhook path is appended). */
  readonly baseUrl: string;
  /** Defaults to the engine's task hub; when given it must name the same hub. */
  readonly taskHubName?: string;
  /** The storage connection setting name the URLs carry. Default 'Storage', as the extension's default. */
  readonly connectionName?: string;
  /**
   * Page size of `GET instances/` when the caller gives no `top`. Default: the DURABLE_QUERY_PAGE_SIZE app setting,
   * else 100. durable-functions never sends `top`, so this is how an app sees continuation tokens locally.
   */
  readonly defaultPageSize?: number;
}

export interface ManagementApi {
  /** subPath: the raw (still percent-encoded) path after /runtime/webhooks/durabletask/, without the query. */
  handle(req: IncomingMessage, res: ServerResponse, subPath: string, query: URLSearchParams): Promise<void>;
  /** The value to bind to every `durableClient` input. */
  clientBindingValue(): DurableClientBindingValue & Record<string, unknown>;
}

/** Status polling: ask for 5 seconds between polls, as the extension does (10 on the check-status response). */
const STATUS_RETRY_AFTER_SECONDS = '5';
const CHECK_STATUS_RETRY_AFTER_SECONDS = '10';
const CONTINUATION_HEADER = 'x-ms-continuation-token';
/** Azure Table keys forbid these, and the extension refuses them in instance ids. */
const FORBIDDEN_ID_CHARACTERS = /[/\\#?]/;
const MAX_INSTANCE_ID_LENGTH = 256;

export function createManagementApi(engine: DurableEngine, options: ManagementApiOptions): ManagementApi {
  const taskHubName = options.taskHubName ?? engine.taskHubName;
  if (taskHubName.toLowerCase() !== engine.taskHubName.toLowerCase()) {
    throw new TypeError(`taskHubName '${taskHubName}' differs from the engine's task hub '${engine.taskHubName}'; the API serves the engine's hub only.`);
  }
  const hub: HubAddress = { taskHubName: engine.taskHubName, connectionName: options.connectionName ?? 'Storage' };
  const configuredBase = webhookBase(options.baseUrl);
  const defaultPageSize = options.defaultPageSize ?? pageSizeSetting() ?? 100;
  const handlers = new ManagementHandlers(engine, hub, configuredBase, defaultPageSize);

  return {
    async handle(req, res, subPath, query) {
      try {
        await handlers.route(req, res, subPath, query);
      } catch (error) {
        sendError(res, error);
      }
    },
    clientBindingValue() {
      return { ...clientBindingValue(configuredBase, hub) };
    },
  };
}

export const PAGE_SIZE_SETTING = 'DURABLE_QUERY_PAGE_SIZE';

function pageSizeSetting(): number | undefined {
  const value = process.env[PAGE_SIZE_SETTING];
  if (value === undefined || value.trim() === '') return undefined;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) {
    throw new TypeError(`App setting ${PAGE_SIZE_SETTING} is '${value}'; it must be a positive whole number (instances per query page).`);
  }
  return size;
}

type Segments = readonly string[];

class ManagementHandlers {
  constructor(
    private readonly engine: DurableEngine,
    private readonly hub: HubAddress,
    private readonly configuredBase: string,
    private readonly defaultPageSize: number,
  ) {}

  async route(req: IncomingMessage, res: ServerResponse, subPath: string, query: URLSearchParams): Promise<void> {
    this.checkTaskHub(query);
    const segments = splitPath(subPath);
    const method = (req.method ?? 'GET').toUpperCase();
    const [controller, ...rest] = segments;

    switch (controller) {
      case 'orchestrators':
        if (rest.length < 1 || rest.length > 2) throw notFound(subPath);
        requireMethod(method, ['POST']);
        return this.startNew(req, res, rest[0] ?? '', rest[1], query);
      case 'instances':
        return this.routeInstances(req, res, method, rest, subPath, query);
      case 'entities':
        throw new ManagementHttpError(
          'NotImplemented',
          501,
          'Durable entities are not supported by the local host; only orchestrations are. Test entity code against Azure.',
        );
      default:
        throw notFound(subPath);
    }
  }

  private async routeInstances(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rest: Segments,
    subPath: string,
    query: URLSearchParams,
  ): Promise<void> {
    const [instanceId, operation, eventName, ...extra] = rest;
    if (instanceId === undefined) {
      requireMethod(method, ['GET', 'DELETE']);
      return method === 'GET' ? this.queryInstances(req, res, query) : this.purgeBy(res, query);
    }
    if (operation === undefined) {
      requireMethod(method, ['GET', 'DELETE']);
      return method === 'GET' ? this.getStatus(req, res, instanceId, query) : this.purge(res, instanceId);
    }
    const verb = operation.toLowerCase();
    if (verb === 'raiseevent') {
      if (eventName === undefined || eventName === '' || extra.length > 0) throw notFound(subPath);
      requireMethod(method, ['POST']);
      return this.raiseEvent(req, res, instanceId, eventName);
    }
    if (eventName !== undefined) throw notFound(subPath);
    requireMethod(method, ['POST']);
    switch (verb) {
      case 'terminate':
      case 'suspend':
      case 'resume':
        return this.changeState(res, verb, instanceId, queryValue(query, 'reason'));
      case 'rewind':
        return this.rewind(res, instanceId);
      case 'restart':
        return this.restart(req, res, instanceId, query);
      default:
        throw notFound(subPath);
    }
  }

  /** One engine serves one task hub; a request for another hub would silently read the wrong data. */
  private checkTaskHub(query: URLSearchParams): void {
    const requested = queryValue(query, 'taskHub');
    if (requested && requested.toLowerCase() !== this.hub.taskHubName.toLowerCase()) {
      throw new ManagementHttpError(
        'UnknownTaskHub',
        404,
        `This local host serves task hub '${this.hub.taskHubName}' only, not '${requested}'; drop the taskHub parameter or use '${this.hub.taskHubName}'.`,
      );
    }
  }

  private base(req: IncomingMessage): string {
    // The extension builds URLs from the request's own authority, so they work through whatever address the
    // caller used (127.0.0.1 vs localhost, a forwarded port).
    const configured = new URL(this.configuredBase);
    return `${requestOrigin(req, configured.origin)}${WEBHOOK_PATH}`;
  }

  private async startNew(
    req: IncomingMessage,
    res: ServerResponse,
    orchestratorName: string,
    requestedId: string | undefined,
    query: URLSearchParams,
  ): Promise<void> {
    if (orchestratorName === '') throw invalidRequest('The orchestrator function name is missing: POST orchestrators/{functionName}[/{instanceId}].');
    const wait = waitParams(query);
    if (requestedId !== undefined) validateInstanceId(requestedId);
    const input = await readJsonBody(req, 'orchestration input');
    if (!this.engine.hasOrchestrator(orchestratorName)) throw unknownOrchestrator(orchestratorName);
    const instanceId = await this.engine.startNew(orchestratorName, {
      ...(requestedId === undefined ? {} : { instanceId: requestedId }),
      ...(input === undefined ? {} : { input }),
    });
    await this.answerStarted(req, res, instanceId, wait, query);
  }

  /** Either the 202 check-status answer, or (with timeout & pollingInterval) the outcome if it comes in time. */
  private async answerStarted(
    req: IncomingMessage,
    res: ServerResponse,
    instanceId: string,
    wait: { timeoutInMs: number } | undefined,
    query: URLSearchParams,
  ): Promise<void> {
    if (wait) {
      const finished = await this.waitForTerminal(instanceId, wait.timeoutInMs);
      if (finished) {
        if (finished.runtimeStatus === 'Completed') return sendJson(res, 200, finished.output);
        return this.sendStatus(req, res, finished, booleanParam(query, 'returnInternalServerErrorOnFailure') ?? false);
      }
    }
    const payload = checkStatusPayload(this.base(req), this.hub, instanceId);
    sendJson(res, 202, payload, { Location: payload.statusQueryGetUri, 'Retry-After': CHECK_STATUS_RETRY_AFTER_SECONDS });
  }

  private async waitForTerminal(instanceId: string, timeoutInMs: number): Promise<InstanceStatus | undefined> {
    try {
      const status = await this.engine.waitForCompletion(instanceId, { timeoutInMs });
      if (isTerminal(status.runtimeStatus)) return status;
    } catch {
      // A timeout (or a wait that could not be set up) falls back to reading the status once.
    }
    const status = await this.engine.getStatus(instanceId);
    return status && isTerminal(status.runtimeStatus) ? status : undefined;
  }

  private async getStatus(req: IncomingMessage, res: ServerResponse, instanceId: string, query: URLSearchParams): Promise<void> {
    const showHistory = booleanParam(query, 'showHistory') ?? false;
    const showHistoryOutput = booleanParam(query, 'showHistoryOutput') ?? false;
    const showInput = booleanParam(query, 'showInput') ?? true;
    const failAs500 = booleanParam(query, 'returnInternalServerErrorOnFailure') ?? false;
    const status = await this.engine.getStatus(instanceId, { showHistory, showHistoryOutput, showInput });
    if (!status) throw instanceNotFound(instanceId);
    this.sendStatus(req, res, status, failAs500);
  }

  private sendStatus(req: IncomingMessage, res: ServerResponse, status: InstanceStatus, failAs500: boolean): void {
    const body = statusBody(status);
    switch (status.runtimeStatus) {
      case 'Pending':
      case 'Running':
      case 'ContinuedAsNew':
      case 'Suspended':
        return sendJson(res, 202, body, {
          Location: `${requestOrigin(req, new URL(this.configuredBase).origin)}${req.url ?? ''}`,
          'Retry-After': STATUS_RETRY_AFTER_SECONDS,
        });
      case 'Failed':
        return sendJson(res, failAs500 ? 500 : 200, body);
      default:
        return sendJson(res, 200, body);
    }
  }

  private async queryInstances(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const filter = instanceFilter(query);
    const pageSize = positiveIntegerParam(query, 'top') ?? positiveIntegerParam(query, 'pageSize') ?? this.defaultPageSize;
    const showInput = booleanParam(query, 'showInput') ?? true;
    const token = decodeContinuationToken(headerValue(req, CONTINUATION_HEADER));
    const page = await this.engine.query({
      ...filter,
      pageSize,
      showInput,
      ...(token === undefined ? {} : { continuationToken: token }),
    });
    const headers: Record<string, string> = {};
    if (page.continuationToken) headers[CONTINUATION_HEADER] = encodeContinuationToken(page.continuationToken);
    sendJson(res, 200, page.instances.map(statusBody), headers);
  }

  private async purge(res: ServerResponse, instanceId: string): Promise<void> {
    const status = await this.engine.getStatus(instanceId, { showInput: false });
    if (!status) throw instanceNotFound(instanceId);
    if (!isTerminal(status.runtimeStatus)) {
      throw new ManagementHttpError(
        'InstanceNotFinished',
        412,
        `Instance '${instanceId}' is ${status.runtimeStatus}; only finished instances can be purged. Terminate it first.`,
        true,
      );
    }
    const instancesDeleted = await this.engine.purge(instanceId);
    if (instancesDeleted === 0) throw instanceNotFound(instanceId);
    sendJson(res, 200, { instancesDeleted });
  }

  private async purgeBy(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const filter = instanceFilter(query);
    if (!filter.createdTimeFrom) {
      throw invalidRequest("Purging by filter needs 'createdTimeFrom' (an ISO 8601 date-time); add it to the query string.");
    }
    const instancesDeleted = await this.engine.purgeBy({ ...filter, createdTimeTo: filter.createdTimeTo ?? new Date() });
    // The extension answers 404 when nothing matched; durable-functions reads that as { instancesDeleted: 0 }.
    if (instancesDeleted === 0) {
      return sendJson(res, 404, { code: 'NoInstancesPurged', message: 'No finished instance matched the filter.', retryable: false });
    }
    sendJson(res, 200, { instancesDeleted });
  }

  private async raiseEvent(req: IncomingMessage, res: ServerResponse, instanceId: string, eventName: string): Promise<void> {
    const status = await this.engine.getStatus(instanceId, { showInput: false });
    if (!status) throw instanceNotFound(instanceId);
    if (isTerminal(status.runtimeStatus)) throw instanceNotRunning(instanceId, status.runtimeStatus);
    const hasBody = Number(req.headers['content-length'] ?? '0') > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !isJsonContentType(req)) {
      throw new ManagementHttpError('UnsupportedMediaType', 400, 'Only application/json event payloads are supported; set Content-Type: application/json.');
    }
    const eventData = await readJsonBody(req, 'event payload');
    // An empty body raises the event with null, as durable-functions does for an undefined payload.
    await this.engine.raiseEvent(instanceId, eventName, eventData ?? null);
    sendEmpty(res, 202);
  }

  private async changeState(
    res: ServerResponse,
    verb: 'terminate' | 'suspend' | 'resume',
    instanceId: string,
    reason: string | undefined,
  ): Promise<void> {
    const status = await this.engine.getStatus(instanceId, { showInput: false });
    if (!status) throw instanceNotFound(instanceId);
    if (isTerminal(status.runtimeStatus)) throw instanceNotRunning(instanceId, status.runtimeStatus);
    await this.engine[verb](instanceId, reason);
    sendEmpty(res, 202);
  }

  private async rewind(res: ServerResponse, instanceId: string): Promise<void> {
    const status = await this.engine.getStatus(instanceId, { showInput: false });
    if (!status) throw instanceNotFound(instanceId);
    if (status.runtimeStatus !== 'Failed') {
      throw new ManagementHttpError(
        'InstanceNotFailed',
        412,
        `Instance '${instanceId}' is ${status.runtimeStatus}; only Failed instances can be rewound.`,
      );
    }
    // Plain text on purpose: durable-functions' rewind() turns a 501 body into its error message as-is.
    sendText(res, 501, `Rewind is not implemented by the local host. Restart instance '${instanceId}' instead (POST instances/{id}/restart).`);
  }

  /** Starts the same orchestrator again with the same input, under a new id unless restartWithNewInstanceId=false. */
  private async restart(req: IncomingMessage, res: ServerResponse, instanceId: string, query: URLSearchParams): Promise<void> {
    const newId = booleanParam(query, 'restartWithNewInstanceId') ?? true;
    const wait = waitParams(query);
    const status = await this.engine.getStatus(instanceId, { showInput: true });
    if (!status) throw instanceNotFound(instanceId);
    if (!newId && !isTerminal(status.runtimeStatus)) {
      throw new DurableHostError(
        'InstanceAlreadyRunning',
        409,
        `Instance '${instanceId}' is ${status.runtimeStatus}; it can only be restarted under the same id once it has finished.`,
      );
    }
    const restartedId = await this.engine.startNew(status.name, {
      ...(newId ? {} : { instanceId }),
      ...(status.input === null || status.input === undefined ? {} : { input: status.input }),
    });
    await this.answerStarted(req, res, restartedId, wait, query);
  }
}

function notFound(subPath: string): ManagementHttpError {
  return new ManagementHttpError(
    'RouteNotFound',
    404,
    `No Durable management route matches '${subPath}'. Routes: orchestrators/{name}[/{id}], instances/[{id}[/raiseEvent/{event}|/terminate|/suspend|/resume|/rewind|/restart]].`,
  );
}

function requireMethod(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) {
    throw new ManagementHttpError('MethodNotAllowed', 405, `This route accepts ${allowed.join(' or ')}, not ${method}.`, false, {
      Allow: allowed.join(', '),
    });
  }
}

/** Splits and percent-decodes each segment, so an id may contain an encoded '%' or space but never a '/'. */
function splitPath(subPath: string): string[] {
  const path = subPath.split('?')[0] ?? '';
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return [];
  return trimmed.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw invalidRequest(`Path segment '${segment}' is not valid percent-encoding.`);
    }
  });
}

function validateInstanceId(instanceId: string): void {
  if (instanceId.trim() === '') throw invalidRequest('The instance id is empty; leave it out to get a generated one.');
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    throw invalidRequest(`The instance id is ${instanceId.length} characters long; the limit is ${MAX_INSTANCE_ID_LENGTH}.`);
  }
  if (FORBIDDEN_ID_CHARACTERS.test(instanceId) || [...instanceId].some(isControlCharacter)) {
    throw invalidRequest(`The instance id '${instanceId}' contains '/', '\\', '#', '?' or a control character, which instance ids may not.`);
  }
}

function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function waitParams(query: URLSearchParams): { timeoutInMs: number } | undefined {
  const timeout = secondsParam(query, 'timeout');
  const pollingInterval = secondsParam(query, 'pollingInterval');
  // Like the extension: waiting needs both; either alone is ignored.
  if (timeout === undefined || pollingInterval === undefined) return undefined;
  if (pollingInterval > timeout) {
    throw invalidRequest(`pollingInterval (${pollingInterval}s) must not exceed timeout (${timeout}s).`);
  }
  return { timeoutInMs: Math.round(timeout * 1000) };
}

function instanceFilter(query: URLSearchParams): InstanceFilter {
  const createdTimeFrom = dateParam(query, 'createdTimeFrom');
  const createdTimeTo = dateParam(query, 'createdTimeTo');
  const runtimeStatus = runtimeStatusParam(query);
  const instanceIdPrefix = queryValue(query, 'instanceIdPrefix');
  if (createdTimeFrom && createdTimeTo && createdTimeFrom > createdTimeTo) {
    throw invalidRequest('createdTimeFrom is after createdTimeTo; swap them.');
  }
  return {
    ...(createdTimeFrom ? { createdTimeFrom } : {}),
    ...(createdTimeTo ? { createdTimeTo } : {}),
    ...(runtimeStatus ? { runtimeStatus } : {}),
    ...(instanceIdPrefix ? { instanceIdPrefix } : {}),
  };
}

function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * The status body. `input`, `output` and `customStatus` are always present (durable-functions rejects a body
 * without input/output). History goes out under both names: `historyEvents` is the extension's wire name,
 * `history` is the field durable-functions' DurableOrchestrationStatus actually reads.
 */
function statusBody(status: InstanceStatus): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: status.input ?? null,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
  };
  if (status.history) {
    body['historyEvents'] = status.history;
    body['history'] = status.history;
  }
  return body;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The engine's tokens are opaque strings of any characters; header values must stay printable ASCII. */
function encodeContinuationToken(token: string): string {
  return Buffer.from(token, 'utf8').toString('base64url');
}

function decodeContinuationToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '' || header === 'null') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(header.trim())) {
    throw invalidRequest('The x-ms-continuation-token header is not a token this API issued; send back the exact value from the previous page.');
  }
  return Buffer.from(header.trim(), 'base64url').toString('utf8');
}
