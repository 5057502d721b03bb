/**
 * The options that describe a migration request (scope, strategy, parallelism, verification), shared by discover,
 * plan and start, and the request they build. The request is checked with the service's own schema before anything
 * is sent, so a typo is a usage error (exit 2) with the field named, not a round trip.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { MigrationRequestSchema, type MigrationRequestInput } from '../domain/migration-request.js';
import { CliError, EXIT } from './exit-codes.js';
import type { ScheduleFlags } from './schedule-options.js';

export interface RequestFlags extends ScheduleFlags {
  readonly request?: string;
  readonly subscription?: string[];
  readonly resourceGroup?: string[];
  readonly app?: string[];
  readonly tag?: string[];
  readonly strategy?: 'direct' | 'slots-first';
  readonly maxParallel?: number;
  readonly maxParallelPerPlan?: number;
  readonly failureThreshold?: number;
  readonly healthPath?: string;
  readonly verifyTimeout?: number;
  readonly dependency?: string[];
  readonly allowCrossRegion?: boolean;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a whole number of at least 1.`);
  return n;
}

/** Repeatable, and each value may itself be a comma- or space-separated list (pasting the banner's ids works). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(/[\s,]+/).filter(Boolean)];
}

export function addScopeOptions(command: Command): Command {
  return command
    .option('-s, --subscription <ids>', 'subscription id(s) to look in; repeat or separate with commas', collect)
    .option('-g, --resource-group <names>', 'only these resource groups; repeat or separate with commas', collect)
    .option('--app <ids>', 'only these sites or slots (full ARM ids); repeat or separate with commas', collect)
    .option('--tag <name=value>', 'only apps with this tag (all given must match); repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--request <file>', 'a JSON migration request (as POST /api/migrations takes) to start from; flags override it');
}

export function addExecutionOptions(command: Command): Command {
  return command
    .option('--strategy <strategy>', "'direct' or 'slots-first' (default: the planner's choice per app)")
    .option('--max-parallel <n>', 'App Service plans migrating at the same time (default 4)', wholeNumber)
    .option('--max-parallel-per-plan <n>', "apps of one plan in flight at once; their subnet joins still go one at a time (default 4)", wholeNumber)
    .option('--failure-threshold <n>', 'failed or rolled-back apps that pause the migration (default 5)', wholeNumber)
    .option('--health-path <path>', "path each app answers 200 on when healthy (default '/')")
    .option('--verify-timeout <seconds>', 'how long verification retries before rolling an app back (default 300)', wholeNumber)
    .option('--dependency <host:port>', 'a dependency every app must reach (Kudu tcpping); repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--allow-cross-region', 'plan apps whose gateway VNet is in another region (needs global peering)');
}

function readRequestFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(EXIT.usage, `--request ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(EXIT.usage, `--request ${path}: expected a JSON object.`);
  return parsed as Record<string, unknown>;
}

function tagsOf(flags: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new CliError(EXIT.usage, `--tag '${flag}': expected name=value.`);
    tags[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return tags;
}

/** The request body the flags describe, validated; `dryRun` set as the command needs. */
export function buildRequest(flags: RequestFlags, dryRun: boolean): MigrationRequestInput {
  const base = flags.request === undefined ? {} : readRequestFile(flags.request);
  const baseScope = (typeof base['scope'] === 'object' && base['scope'] !== null ? base['scope'] : {}) as Record<string, unknown>;
  const baseVerify = (typeof base['verify'] === 'object' && base['verify'] !== null ? base['verify'] : {}) as Record<string, unknown>;
  const scope = {
    ...baseScope,
    ...(flags.subscription === undefined ? {} : { subscriptionIds: flags.subscription }),
    ...(flags.resourceGroup === undefined ? {} : { resourceGroups: flags.resourceGroup }),
    ...(flags.app === undefined ? {} : { appIds: flags.app }),
    ...(flags.tag === undefined ? {} : { tags: tagsOf(flags.tag) }),
  };
  if (scope['subscriptionIds'] === undefined) {
    throw new CliError(EXIT.usage, 'Say where to look: --subscription <id> (repeatable), or --request <file> with a scope. `npm start` prints the demo subscription ids.');
  }
  const verify = {
    ...baseVerify,
    ...(flags.healthPath === undefined ? {} : { healthPath: flags.healthPath }),
    ...(flags.verifyTimeout === undefined ? {} : { timeoutSeconds: flags.verifyTimeout }),
    ...(flags.dependency === undefined ? {} : { dependencies: flags.dependency }),
  };
  if ((flags.window === undefined) !== (flags.batchSize === undefined)) {
    throw new CliError(EXIT.usage, 'A schedule needs both --window (at least one) and --batch-size.');
  }
  const candidate = {
    ...base,
    ...(flags.window === undefined || flags.batchSize === undefined ? {} : { schedule: { maintenanceWindows: flags.window, batchSize: flags.batchSize } }),
    ...(flags.webhook === undefined ? {} : { webhookUrls: flags.webhook }),
    scope,
    ...(Object.keys(verify).length === 0 ? {} : { verify }),
    ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }),
    ...(flags.maxParallel === undefined ? {} : { maxParallel: flags.maxParallel }),
    ...(flags.maxParallelPerPlan === undefined ? {} : { maxParallelPerPlan: flags.maxParallelPerPlan }),
    ...(flags.failureThreshold === undefined ? {} : { failureThreshold: flags.failureThreshold }),
    ...(flags.allowCrossRegion === undefined ? {} : { allowCrossRegion: flags.allowCrossRegion }),
    dryRun,
  };
  const checked = MigrationRequestSchema.safeParse(candidate);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `  ${i.path.join('.') || '(request)'}: ${i.message}`).join('\n');
    throw new CliError(EXIT.usage, `The migration request is not valid:\n${problems}`);
  }
  // The flags' own values, not the schema's defaults filled in: the service applies its defaults.
  return candidate as MigrationRequestInput;
}
