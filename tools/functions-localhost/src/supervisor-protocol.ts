/**
 * The stdout lines the CLI and the `npm start` supervisor print, which scripts and tests parse. Keep their shape.
 */

/** cli.ts: followed by the base URL (http://localhost:7071), once the host answers. */
export const LISTENING_LINE_PREFIX = 'Local Functions host listening on ';

/** start.ts: followed by the HTTP functions' base URL (http://localhost:7071/api). */
export const API_LINE_PREFIX = 'Functions API: ';
/** start.ts: followed by the simulator URL, when it runs one. */
export const SIMULATOR_LINE_PREFIX = 'ARM simulator: ';
/** start.ts: followed by the simulator's CA certificate file. */
export const CA_FILE_LINE_PREFIX = 'Simulator CA file: ';
/** start.ts: followed by `supervisor=<pid> host=<pid> azurite=<pid|none>`, so a test can prove every process ended. */
export const PROCESSES_LINE_PREFIX = 'Processes: ';
/** start.ts, while stopping: followed by the host's exit code (0 when it stopped gracefully) or signal. */
export const HOST_STOPPED_LINE_PREFIX = 'Functions host stopped, exit code ';
/** start.ts: everything is up. */
export const READY_LINE = 'Ready. Press Ctrl-C to stop.';
/** start.ts, when it runs the simulator: followed by the subscription ids its world holds, space-separated. */
export const SUBSCRIPTIONS_LINE_PREFIX = 'Simulator subscriptions: ';
