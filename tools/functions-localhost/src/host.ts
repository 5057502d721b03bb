import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { defaultAppDir, loadFunctionApp, type LoadedApp } from './app-loader.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import type { DurableEngine } from './durable/contract.js';
import type { VirtualTimeline } from './durable/engine.js';
import { createDurableEngine, createManagementApi } from './durable-components.js';
import { LocalHostError } from './errors.js';
import { HttpDispatcher } from './http-dispatcher.js';
import { installFunctionsCore } from './functions-core.js';
import { InvocationHooks } from './invocation-hooks.js';
import { consoleLogger, fromFunctionsLevel, type HostLogger } from './logger.js';
import { loadLocalSettings } from './settings.js';
import { TimerScheduler } from './timer-scheduler.js';
import { MemoryTimerStatusStore, TableTimerStatusStore, timerHostId } from './timer-status-store.js';

/**
 * The local Functions host: settings → the app's registrations → the durable engine (when the app uses durable
 * functions) → the Durable management API → the HTTP server → timers. Stop reverses it: timers, then new
 * connections, then in-flight requests drain, then the engine, then Azurite if this host started it.
 */
export interface LocalHostOptions {
  /** Folder of the Functions app (its package.json "main" names the files). Default: this repository. */
  readonly appDir?: string;
  /** Where local.settings.json lives; false to skip it. Default: appDir. */
  readonly settingsDir?: string | false;
  /** Default 7071; 0 picks a free port. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1 (the URL says localhost). */
  readonly host?: string;
  /**
   * Table Storage for durable state: a connection string, "azurite:memory" (an in-memory Azurite this host runs),
   * or "azurite:<dir>" (an Azurite keeping data in <dir>). Default: the AzureWebJobsStorage setting.
   */
  readonly storage?: string;
  /** 'virtual': durable timers and timer triggers run on a time-skipping clock (see durable-engine.md). */
  readonly clock?: 'real' | 'virtual';
  /** Virtual clock only: the instant it reads at start (ISO 8601), to test dates far from today. */
  readonly clockStart?: string;
  readonly maxActivities?: number;
  /** Key for non-anonymous HTTP functions. Default: the FUNCTIONS_KEY setting; none means no key is checked. */
  readonly functionsKey?: string;
  /** Default 100 MB. */
  readonly maxRequestBodyBytes?: number;
  /** How long stop() waits for in-flight requests before closing their connections. Default 10 s. */
  readonly drainTimeoutMs?: number;
  readonly logger?: HostLogger;
}

export interface RunningLocalHost {
  /** http://localhost:<port>, no trailing slash. */
  readonly url: string;
  /** The URL HTTP functions live under, e.g. http://localhost:7071/api. */
  readonly apiUrl: string;
  readonly port: number;
  readonly app: LoadedApp;
  readonly engine: DurableEngine | undefined;
  readonly timers: TimerScheduler;
  stop(): Promise<void>;
}

export async function startLocalHost(options: LocalHostOptions = {}): Promise<RunningLocalHost> {
  const logger = options.logger ?? consoleLogger();
  const appDir = resolve(options.appDir ?? defaultAppDir());
  const settingsDir = options.settingsDir === undefined ? appDir : options.settingsDir;
  if (settingsDir !== false) loadLocalSettings(settingsDir);

  // The library's own diagnostics (e.g. "discarding the body of a GET request") go to the host log too.
  installFunctionsCore().log = (level, category, message) => logger(fromFunctionsLevel(level), category || 'Worker', message);
  const app = await loadFunctionApp(appDir);
  // Every invoker (HTTP, timers, the durable engine) gets handlers with the app's invocation hooks around them.
  const hooks = new InvocationHooks(app.hooks, app.appDir);
  const functions = app.functions.map((fn) => ({ ...fn, handler: hooks.wrap(fn.handler) }));
  // Route templates and schedules are validated here, before anything starts: a bad one refuses the start.
  const dispatcher = new HttpDispatcher({
    functions,
    library: app.library,
    routePrefix: app.hostJson.routePrefix,
    functionsKey: options.functionsKey ?? (process.env['FUNCTIONS_KEY'] || undefined),
    maxRequestBodyBytes: options.maxRequestBodyBytes,
    logger,
  });
  const timers = new TimerScheduler({ functions, library: app.library, logger, durableClientValue: () => dispatcher.durableApi?.clientBindingValue() });

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger('warn', 'Host', `Cleanup failed: ${String(error)}`));
  };

  try {
    // appStart before any invocation; appTerminate once everything else has stopped.
    if (app.hooks.get('log')?.length) logger('warn', 'Host', 'The app registers log hooks (a preview feature); the local host does not call them.');
    await hooks.appStart();
    cleanups.push(() => hooks.appTerminate());

    // Durable functions need storage; monitored timers use it when there is some (memory otherwise).
    const storage = options.storage ?? (process.env['AzureWebJobsStorage'] || undefined);
    const connectionString = app.usesDurable || (timers.monitorsAny && storage) ? await resolveStorage(storage, cleanups) : undefined;
    let engine: (DurableEngine & VirtualTimeline) | undefined;
    if (app.usesDurable && connectionString) {
      const provider = app.hostJson.storageProviderType;
      // Azure Storage is the extension's default provider and the one this engine emulates; any other changes
      // semantics the app may rely on (ordering, scale, the Durable Task Scheduler's dashboard), so say so.
      if (provider && provider.toLowerCase() !== 'azurestorage') {
        logger(
          'warn',
          'Host.Durable',
          `host.json sets extensions.durableTask.storageProvider.type '${provider}', which the local host does not implement: durable functions run with Azure Storage semantics on Table Storage instead.`,
        );
      }
      engine = await createDurableEngine({
        connectionString,
        taskHubName: app.hostJson.hubName ?? 'TestHubName',
        clock: options.clock ?? 'real',
        ...(options.clockStart === undefined ? {} : { clockStartMs: Date.parse(options.clockStart) }),
        ...(options.maxActivities ?? app.hostJson.maxConcurrentActivityFunctions
          ? { maxConcurrentActivities: options.maxActivities ?? app.hostJson.maxConcurrentActivityFunctions }
          : {}),
        log: (level, message) => logger(level, 'Host.Durable', message),
      });
      for (const fn of functions) {
        if (fn.kind === 'orchestration') engine.registerOrchestrator(fn.name, fn.handler);
        if (fn.kind === 'activity') engine.registerActivity(fn.name, fn.handler);
      }
      await engine.start();
      const started = engine;
      cleanups.push(() => started.stop());
    }

    // Listen before the management API exists: its URLs need the real port (0 picks one). Requests that arrive
    // in between get 503, which no client sees in practice since the URL is printed only after start resolves.
    const ready = { accepting: false };
    const inFlight = new Set<Promise<void>>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (!ready.accepting) {
        req.resume();
        res.writeHead(503, { 'retry-after': '1' }).end();
        return;
      }
      const handling = dispatcher.handle(req, res);
      inFlight.add(handling);
      void handling.finally(() => inFlight.delete(handling));
    });
    const listenHost = options.host ?? '127.0.0.1';
    await listen(server, options.port ?? 7071, listenHost);
    const port = (server.address() as AddressInfo).port;
    cleanups.push(() => closeServer(server, inFlight, options.drainTimeoutMs ?? 10_000));

    const urlHost = listenHost === '127.0.0.1' || listenHost === '0.0.0.0' || listenHost === '::' ? 'localhost' : listenHost;
    const url = `http://${urlHost}:${port}`;
    // durable-functions' getClient() rewrites client URLs to http://localhost:7071 unless this is set.
    process.env['WEBSITE_HOSTNAME'] = `${urlHost}:${port}`;

    if (engine) dispatcher.durableApi = await createManagementApi(engine, { baseUrl: url });
    ready.accepting = true;
    for (const route of dispatcher.router.describe()) logger('info', 'Host', `${route.name}: [${route.methods.join(',')}] ${url}${route.template}`);

    const timerStatus = connectionString ? new TableTimerStatusStore(connectionString, timerHostId(app.appDir)) : new MemoryTimerStatusStore();
    await timerStatus.open();
    if (engine) timers.attachTo(engine);
    await timers.start(timerStatus);
    cleanups.push(() => timers.stop());

    let stopping: Promise<void> | undefined;
    return {
      url,
      apiUrl: app.hostJson.routePrefix ? `${url}/${app.hostJson.routePrefix}` : url,
      port,
      app,
      engine,
      timers,
      stop: () => (stopping ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function resolveStorage(storage: string | undefined, cleanups: (() => Promise<void>)[]): Promise<string> {
  if (!storage) {
    throw new LocalHostError(
      'StorageRequired',
      'This app uses durable functions, which need Table Storage: set AzureWebJobsStorage (a connection string or UseDevelopmentStorage=true) or pass --storage azurite:memory.',
    );
  }
  if (!storage.startsWith('azurite:')) return storage;
  const where = storage.slice('azurite:'.length);
  // Its own process group: a terminal's Ctrl-C must reach only this host, which stops the engine first and Azurite
  // last. Sharing the group, Azurite died at once and the engine's last writes (the lease release) retried against
  // a closed port for seconds before failing.
  const azurite: RunningAzurite = await startAzurite({ ...(where === 'memory' ? {} : { location: resolve(where) }), detached: true });
  cleanups.push(() => azurite.stop());
  return azurite.connectionString;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalHostError('InvalidSettings', `Port ${port} on ${host} is in use; stop whatever holds it or pass another --port.`, true, { cause: error })
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

async function closeServer(server: Server, inFlight: ReadonlySet<Promise<void>>, drainTimeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolvePromise) => (timer = setTimeout(() => resolvePromise('timeout'), drainTimeoutMs)));
  const drained = await Promise.race([Promise.allSettled([...inFlight]).then(() => 'drained' as const), timedOut]);
  clearTimeout(timer);
  if (drained === 'timeout') server.closeAllConnections();
  else server.closeIdleConnections();
  await closed;
}
