/**
 * The engine's HTTP surface: start a migration (or a dry run), list migrations, read one's status, list its apps.
 * pause/resume/cancel are in migration-control.ts, an app's history in app-history.ts.
 */
import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { discoverFleet } from '../azure/discovery/discover-fleet.js';
import { APP_OUTCOMES, MIGRATION_STATUSES } from '../domain/migration-model.js';
import { MigrationRequestSchema, type MigrationRequest } from '../domain/migration-request.js';
import { buildMigrationPlan } from '../domain/plan-builder.js';
import { scopeMayInclude, scopesOverlap } from '../domain/scope-overlap.js';
import { AppsHeldByAnotherMigrationError, InvalidQueryError, MigrationNotFoundError } from '../http/api-errors.js';
import { errorResponse } from '../http/error-response.js';
import { migrationsUriOf, statusUriOf } from '../http/links.js';
import { appView, migrationView } from '../http/migration-views.js';
import { nextLink, PageQuerySchema, readQuery } from '../http/query.js';
import { readJsonBody } from '../http/request-body.js';
import { migrationIdOf } from '../http/route-values.js';
import { ORCHESTRATIONS } from '../orchestrations/engine-names.js';
import type { FleetInput } from '../orchestrations/engine-contract.js';
import { engineHost, stateTables } from './engine-host.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * A migration request is a scope and options, not a document: 10,000 app ids of ~150 bytes fit, with room to spare.
 * Anything larger is refused before it is parsed.
 */
const MIGRATION_REQUEST_BYTES = 2 * 1024 * 1024;

const MigrationListQuerySchema = PageQuerySchema.extend({ status: z.enum(MIGRATION_STATUSES).optional() });
const AppListQuerySchema = PageQuerySchema.extend({ status: z.enum(APP_OUTCOMES).optional() });


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

export async function startMigration(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const body = await readJsonBody(request, MigrationRequestSchema, { maxBytes: MIGRATION_REQUEST_BYTES });
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
      maxParallelPerPlan: body.maxParallelPerPlan,
      failureThreshold: body.failureThreshold,
      ...(settings.groupsPerGeneration === undefined ? {} : { groupsPerGeneration: settings.groupsPerGeneration }),
      timing: { ...settings.timing, verifyTimeoutSeconds: body.verify.timeoutSeconds, verifyPollSeconds: Math.min(settings.timing.verifyPollSeconds, body.verify.timeoutSeconds) },
      ...(body.schedule === undefined ? {} : { schedule: body.schedule }),
    };
    await df.getClient(context).startNew(ORCHESTRATIONS.fleet, { instanceId: id, input });
    return accepted(request, id);
  } catch (error) {
    return errorResponse(error, context, 'migration request');
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
    const id = migrationIdOf(request);
    const record = await (await stateTables()).migrations.get(id);
    if (record === undefined) throw new MigrationNotFoundError(id);
    return { status: 200, jsonBody: migrationView(record, statusUriOf(request, id)) };
  } catch (error) {
    return errorResponse(error, context, 'read migration');
  }
}

/** Newest first; `status` filters (a filtered page may be short and still have a next page). */
export async function listMigrations(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const query = readQuery(request, MigrationListQuerySchema);
    const page = await (await stateTables()).migrations.list(query);
    return {
      status: 200,
      jsonBody: {
        value: page.items.map((record) => migrationView(record, statusUriOf(request, record.id))),
        continuationToken: page.continuationToken ?? null,
        nextLink: nextLink(migrationsUriOf(request), query, page.continuationToken),
      },
    };
  } catch (error) {
    return errorResponse(error, context, 'list migrations');
  }
}

export async function listMigrationApps(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const id = migrationIdOf(request);
    const { status, ...paging } = readQuery(request, AppListQuerySchema);
    const state = await stateTables();
    if ((await state.migrations.get(id)) === undefined) throw new MigrationNotFoundError(id);
    const page = await state.apps.list(id, { ...paging, ...(status === undefined ? {} : { outcome: status }) });
    return {
      status: 200,
      jsonBody: {
        value: page.items.map(appView),
        continuationToken: page.continuationToken ?? null,
        nextLink: nextLink(`${statusUriOf(request, id)}/apps`, { status, top: paging.top }, page.continuationToken),
      },
    };
  } catch (error) {
    return errorResponse(error, context, 'list migration apps');
  }
}

app.http('startMigration', { route: 'migrations', methods: ['POST'], authLevel: 'function', extraInputs: [df.input.durableClient()], handler: startMigration });
app.http('listMigrations', { route: 'migrations', methods: ['GET'], authLevel: 'function', handler: listMigrations });
app.http('getMigration', { route: 'migrations/{id}', methods: ['GET'], authLevel: 'function', handler: getMigration });
app.http('listMigrationApps', { route: 'migrations/{id}/apps', methods: ['GET'], authLevel: 'function', handler: listMigrationApps });
