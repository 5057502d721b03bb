import { parseJsonText } from '../arm-raw-request.js';
import { appHttps } from './app-https.js';
import type { ProbeOptions } from './probe-options.js';

export interface TcppingResult {
  /** At least one of the attempts connected. */
  readonly ok: boolean;
  readonly averageInMs?: number;
  /** Kudu's own output (or why there is none), for a person to read. */
  readonly output: string;
}

export interface NameResolveResult {
  readonly ok: boolean;
  readonly addresses: string[];
  readonly output: string;
}

/**
 * Runs one console command in the app's sandbox through Kudu (POST https://{scm}/api/command), so it goes out
 * through whatever VNet integration the app has at that moment. The output, or why there is none; never throws.
 */
async function kuduCommand(scmHostName: string, command: string, opts: ProbeOptions): Promise<{ ok: boolean; output: string }> {
  try {
    const token = opts.token === undefined ? undefined : await opts.token();
    const answer = await appHttps(scmHostName, '/api/command', opts, { method: 'POST', body: { command, dir: 'site\\wwwroot' }, ...(token === undefined ? {} : { token }) });
    const body = parseJsonText(answer.text) as { Output?: unknown; Error?: unknown; ExitCode?: unknown; Message?: unknown } | undefined;
    if (answer.status !== 200) return { ok: false, output: `Kudu answered ${answer.status}: ${typeof body?.Message === 'string' ? body.Message : answer.text}` };
    const output = [body?.Output, body?.Error].filter((s): s is string => typeof s === 'string' && s !== '').join('');
    return { ok: body?.ExitCode === 0, output };
  } catch (error) {
    return { ok: false, output: `${command} through ${scmHostName} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const COMPLETE = /Complete:\s*(\d+)\/(\d+) successful attempts[^.]*\.\s*Average success time:\s*(\d+(?:\.\d+)?)\s*ms/i;

/** `tcpping host:port` from inside the app: "Complete: 4/4 successful attempts (100%). Average success time: 38ms". */
export async function kuduTcpping(scmHostName: string, target: string, opts: ProbeOptions): Promise<TcppingResult> {
  const { output } = await kuduCommand(scmHostName, `tcpping ${target}`, opts);
  const match = COMPLETE.exec(output);
  const successes = match?.[1] === undefined ? 0 : Number(match[1]);
  if (successes === 0) return { ok: false, output };
  return { ok: true, averageInMs: Number(match?.[3]), output };
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 = /\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b/gi;

/** `nameresolver host` from inside the app (Azure DNS, or the VNet's DNS servers): the addresses after "Name:". */
export async function kuduNameResolve(scmHostName: string, host: string, opts: ProbeOptions): Promise<NameResolveResult> {
  const { output } = await kuduCommand(scmHostName, `nameresolver ${host}`, opts);
  // The "Server:" line names the resolver; only what follows the answer's "Name:" line is the host's addresses.
  const at = output.search(/^\s*Name:/im);
  const answer = at < 0 ? '' : output.slice(at);
  const addresses = [...new Set([...(answer.match(IPV4) ?? []), ...(answer.match(IPV6) ?? [])])];
  return { ok: addresses.length > 0, addresses, output };
}
