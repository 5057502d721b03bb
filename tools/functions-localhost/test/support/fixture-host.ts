import { fileURLToPath } from 'node:url';
import { startLocalHost, type RunningLocalHost } from '../../src/host.js';

export interface FixtureHost {
  readonly host: RunningLocalHost;
  /** Every line the host logged, for assertions and for failure messages. */
  readonly log: string[];
}

/**
 * Runs a fixture app from tools/functions-localhost/test/fixtures/<name> on the full local host (function host + durable engine +
 * management API) on a free port, with an in-memory Azurite the host owns and stops with itself.
 */
export async function startFixtureHost(name: string): Promise<FixtureHost> {
  const log: string[] = [];
  const host = await startLocalHost({
    appDir: fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)),
    settingsDir: false,
    port: 0,
    storage: 'azurite:memory',
    logger: (level, source, message) => log.push(`${level} ${source} ${message}`),
  });
  return { host, log };
}

/** The management URLs createCheckStatusResponse answers with, as the durable-functions client documents them. */
export interface CheckStatus {
  readonly id: string;
  readonly statusQueryGetUri: string;
  readonly sendEventPostUri: string;
  readonly terminatePostUri: string;
  readonly purgeHistoryDeleteUri: string;
  readonly restartPostUri: string;
  readonly suspendPostUri: string;
  readonly resumePostUri: string;
}
