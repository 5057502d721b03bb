/**
 * What every command needs, from the global options: the API client (URL and key from flags or environment) and
 * whether to print JSON for machines or text for people.
 */
import { Option, type Command } from 'commander';
import { ApiClient } from './api-client.js';

export const DEFAULT_API_URL = 'http://localhost:7071/api';

export interface CliContext {
  readonly api: ApiClient;
  /** --json: one JSON document on stdout, nothing else there. */
  readonly json: boolean;
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
}

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--api-url <url>', 'the service API base URL').env('MIGRATOR_API_URL').default(DEFAULT_API_URL))
    .addOption(new Option('--key <key>', 'function key (sent as x-functions-key) when the host requires one').env('MIGRATOR_API_KEY'))
    .option('--json', 'machine output: one JSON document on stdout', false);
}

export function contextOf(command: Command): CliContext {
  const opts = command.optsWithGlobals<{ apiUrl: string; key?: string; json: boolean }>();
  return {
    api: new ApiClient({ baseUrl: opts.apiUrl, ...(opts.key ? { key: opts.key } : {}) }),
    json: opts.json,
    stdout: process.stdout,
  };
}

export function printJson(context: CliContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(context: CliContext, lines: readonly string[]): void {
  if (lines.length > 0) context.stdout.write(`${lines.join('\n')}\n`);
}
