/**
 * The engine's HTTP surface: start a migration (or a dry run), read its status, list its apps.
 */
import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { discoverFleet } from '../azure/discovery/discover-fleet.js';
import { isMigratorError, MigratorError } from '../domain/errors.js';
import { APP_OUTCOMES, type AppOutcome } from '../domain/migration-model.js';
import { MigrationRequestSchema, type MigrationRequest } from '../domain/migration-request.js';
import { buildMigrationPlan } from '../domain/plan-builder.js';
import { scopeMayInclude, scopesOverlap } from '../domain/scope-overlap.js';
import { appView, migrationView } from '../http/migration-views.js';
import { internalErrorResponse, problemResponse } from '../http/problem.js';
import { InvalidRequestBodyError, readJsonBody, UnsupportedMediaTypeError } from '../http/request-body.js';
import { ORCHESTRATIONS } from '../orchestrations/engine-names.js';
import type { FleetInput } from '../orchestrations/engine-contract.js';
import { engineHost, stateTables } from './engine-host.js';

export class MigrationNotFoundError extends MigratorError {
  readonly code = 'MigrationNotFound';
  constructor(id: string) {
    super(`No migration has the id '${id}'. List migrations with GET /api/migrations.`, false, { details: { id } });
  }
}

export class AppsHeldByAnotherMigrationError extends MigratorError {
  readonly code = 'AppsHeldByAnotherMigration';
  constructor(holder: string, apps: readonly string[]) {
    const shown = apps.slice(0, 5).join(', ');
    super(
      apps.length === 0
        ? `Migration ${holder} is still discovering a scope that overlaps this one; wait for it to finish or narrow the scope.`
        : `Migration ${holder} is moving apps in this scope (${shown}${apps.length > 5 ? `, and ${apps.length - 5} more` : ''}); wait for it to finish or leave them out.`,
      false,
      { details: { migrationId: holder, apps: apps.slice(0, 100) } },
    );
  }
}

export class InvalidQueryError extends MigratorError {
  readonly code = 'InvalidQuery';
  constructor(message: string) {
    super(message, false);
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

function statusUriOf(request: HttpRequest, id: string): string {
  const url = new URL(request.url);
  return `${url.origin}/api/migrations/${encodeURIComponent(id)}`;
}

/** Refuses a request that could touch an app another active migration holds or may still claim. */
async function refuseOverlap(request: MigrationRequest): Promise<void> {
  const state = await stateTables();
  const active = await state.migrations.active();
  if (active.length === 0) return;
  const activeIds = new Set(active.map((m) => m.id));
  const leases = (await state.leases.listAll()).filter((l) => activeIds.has(l.migrationId));
  for (const other of active) {
    const held = leases.filter((l) => l.migrationId === other.id && scopeMayInclude(request.scope, l.appId)).map((l) => l.appId);
    if (held.length > 0) throw new AppsHeldByAnotherMigrationError(other.id, held);
    if (other.plan === undefined && scopesOverlap(request.scope, other.request.scope)) throw new AppsHeldByAnotherMigrationError(other.id, []);
  }
}

function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof InvalidRequestBodyError) return problemResponse(400, error.toJSON(), error.fieldErrors);
  if (error instanceof UnsupportedMediaTypeError) return problemResponse(415, error.toJSON());
  if (error instanceof InvalidQueryError) return problemResponse(400, error.toJSON());
  if (error instanceof MigrationNotFoundError) return problemResponse(404, error.toJSON());
  if (error instanceof AppsHeldByAnotherMigrationError) return problemResponse(409, error.toJSON());
  if (isMigratorError(error) && error.retryable) return problemResponse(503, error.toJSON());
  if (isMigratorError(error)) return problemResponse(422, error.toJSON());
  context.error('migration request failed', error);
  return internalErrorResponse(error);
}

export async function startMigration(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const body = await readJsonBody(request, MigrationRequestSchema);
    const key = request.headers.get('idempotency-key') ?? undefined;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new InvalidQueryError('Idempotency-Key must be 1-200 visible ASCII characters.');
    if (body.dryRun) return await dryRun(body);

    const state = await stateTables();
    if (key !== undefined) {
      const earlier = await state.migrations.findByIdempotencyKey(key);
      if (earlier !== undefined) return accepted(request, earlier.id);
    }
    await refuseOverlap(body);
    const { settings } = await engineHost();
    const id = randomUUID();
    const now = new Date().toISOString();
    await state.migrations.create({
      id,
      status: 'Pending',
      control: 'run',
      createdTime: now,
      request: body,
      ...(key === undefined ? {} : { idempotencyKey: key }),
      summary: { total: 0, succeeded: 0, rolledBack: 0, failed: 0, skipped: 0, pending: 0, inProgress: 0 },
    });
    const input: FleetInput = {
      migrationId: id,
      maxParallel: body.maxParallel,
      failureThreshold: body.failureThreshold,
      timing: { ...settings.timing, verifyTimeoutSeconds: body.verify.timeoutSeconds, verifyPollSeconds: Math.min(settings.timing.verifyPollSeconds, body.verify.timeoutSeconds) },
    };
    await df.getClient(context).startNew(ORCHESTRATIONS.fleet, { instanceId: id, input });
    return accepted(request, id);
  } catch (error) {
    return errorResponse(error, context);
  }
}

function accepted(request: HttpRequest, id: string): HttpResponseInit {
  const statusUri = statusUriOf(request, id);
  return { status: 202, headers: { location: statusUri, 'retry-after': '5' }, jsonBody: { id, statusUri } };
}

/** A dry run: live discovery and the full plan, nothing written anywhere. */
async function dryRun(body: MigrationRequest): Promise<HttpResponseInit> {
  const { deps } = await engineHost();
  const discovery = await discoverFleet(body.scope, { clientsFor: deps.clientsFor });
  const plan = buildMigrationPlan(discovery.inventory, { apiVersion: deps.webApiVersion });
  return {
    status: 200,
    jsonBody: {
      dryRun: true,
      scope: body.scope,
      discovered: { apps: discovery.apps.length, plans: discovery.inventory.plans.length, virtualNetworks: discovery.inventory.virtualNetworks.length, gateways: discovery.gateways, stats: discovery.stats },
      plan,
    },
  };
}

export async function getMigration(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const id = request.params['id'] ?? '';
    const record = await (await stateTables()).migrations.get(id);
    if (record === undefined) throw new MigrationNotFoundError(id);
    return { status: 200, jsonBody: migrationView(record, statusUriOf(request, id)) };
  } catch (error) {
    return errorResponse(error, context);
  }
}

export async function listMigrationApps(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const id = request.params['id'] ?? '';
    const status = request.query.get('status') ?? undefined;
    if (status !== undefined && !(APP_OUTCOMES as readonly string[]).includes(status)) {
      throw new InvalidQueryError(`status must be one of ${APP_OUTCOMES.join(', ')}; got '${status.slice(0, 40)}'.`);
    }
    const topText = request.query.get('top') ?? '100';
    const top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new InvalidQueryError(`top must be a whole number from 1 to 1000; got '${topText.slice(0, 20)}'.`);
    const continuationToken = request.query.get('continuationToken') ?? undefined;
    if (continuationToken !== undefined && continuationToken.length > 2048) throw new InvalidQueryError('continuationToken is too long.');
    const state = await stateTables();
    if ((await state.migrations.get(id)) === undefined) throw new MigrationNotFoundError(id);
    const page = await state.apps.list(id, { top, ...(status === undefined ? {} : { outcome: status as AppOutcome }), ...(continuationToken === undefined ? {} : { continuationToken }) });
    const next = page.continuationToken === undefined ? null : `${statusUriOf(request, id)}/apps?${new URLSearchParams({ ...(status === undefined ? {} : { status }), top: String(top), continuationToken: page.continuationToken }).toString()}`;
    return { status: 200, jsonBody: { value: page.items.map(appView), continuationToken: page.continuationToken ?? null, nextLink: next } };
  } catch (error) {
    return errorResponse(error, context);
  }
}

app.http('startMigration', { route: 'migrations', methods: ['POST'], authLevel: 'function', extraInputs: [df.input.durableClient()], handler: startMigration });
app.http('getMigration', { route: 'migrations/{id}', methods: ['GET'], authLevel: 'function', handler: getMigration });
app.http('listMigrationApps', { route: 'migrations/{id}/apps', methods: ['GET'], authLevel: 'function', handler: listMigrationApps });
