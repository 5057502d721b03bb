/**
 * The operator dashboard and the readiness report, served by the Function App itself (no CDN):
 * - GET /api/dashboard: the page, rendered whole from Table Storage (function key, as the API; a browser passes it
 *   as ?code=, and the page's script sends it as x-functions-key on its API calls);
 * - GET /api/dashboard/assets/{name}: the page's script modules and stylesheet, a fixed list compiled into dist/
 *   (anonymous: code and styles only, no data, so the key never has to be in an asset's URL);
 * - GET /api/report?subscriptionIds=&resourceGroups=&maxParallel=&format=html|csv|json[&table=] and POST /api/report
 *   with a migration request body: a dry run (live discovery and the plan, nothing written) as a readiness report.
 * Every answer carries a self-only Content-Security-Policy and no referrer.
 */
import { readFile } from 'node:fs/promises';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { AppView, HistoryEntryView, MigrationView } from '../cli/api-types.js';
import { renderDashboardPage, SERVER_RENDERED_APPS, type DashboardData } from '../dashboard/page.js';
import { REPORT_TABLES, renderReportCsv, renderReportPage, type ReportTable } from '../dashboard/report-view.js';
import { DASHBOARD_CSS } from '../dashboard/styles.js';
import { readViewState } from '../dashboard/views.js';
import { discoverFleet } from '../azure/discovery/discover-fleet.js';
import { isMigratorError, MigratorError } from '../domain/errors.js';
import { MigrationRequestSchema, type MigrationRequest } from '../domain/migration-request.js';
import { buildMigrationPlan } from '../domain/plan-builder.js';
import { buildReadinessReport, type ReadinessReport } from '../domain/readiness-report.js';
import { appView, migrationView } from '../http/migration-views.js';
import { internalErrorResponse, problemResponse } from '../http/problem.js';
import { InvalidRequestBodyError, readJsonBody, UnsupportedMediaTypeError } from '../http/request-body.js';
import { engineHost, stateTables } from './engine-host.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** The page's modules, compiled by tsc next to this file's folder (dist/src/dashboard), and nothing else. */
const SCRIPT_ASSETS = new Set(['client.js', 'views.js', 'html.js', 'reason-guide.js']);
const DASHBOARD_DIR = new URL('../dashboard/', import.meta.url);
const scripts = new Map<string, string>();
/**
 * A migration has at most this many apps read for the page (50 pages of 1,000): the fleet size the service is scaled
 * for (docs/benchmarks.md, "Caps at fleet scale"); fleet-10000 has 10,279 apps with its slots.
 */
const MAX_APPS = 50_000;

class InvalidReportQueryError extends MigratorError {
  readonly code = 'InvalidReportQuery';
  constructor(message: string) {
    super(message, false);
  }
}

function failure(error: unknown, context: InvocationContext, what: string): HttpResponseInit {
  if (error instanceof InvalidRequestBodyError) return problemResponse(400, error.toJSON(), error.fieldErrors);
  if (error instanceof UnsupportedMediaTypeError) return problemResponse(415, error.toJSON());
  if (error instanceof InvalidReportQueryError) return problemResponse(400, error.toJSON());
  if (isMigratorError(error)) return problemResponse(error.retryable ? 503 : 422, error.toJSON());
  context.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  return internalErrorResponse(error);
}

export async function dashboardAsset(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params['name'] ?? '';
  const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-cache' };
  if (name === 'dashboard.css') return { status: 200, headers: { ...headers, 'content-type': 'text/css; charset=utf-8' }, body: DASHBOARD_CSS };
  if (!SCRIPT_ASSETS.has(name)) return { status: 404, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
  let text = scripts.get(name);
  if (text === undefined) {
    text = (await readFile(new URL(name, DASHBOARD_DIR), 'utf8')).replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    scripts.set(name, text);
  }
  return { status: 200, headers: { ...headers, 'content-type': 'text/javascript; charset=utf-8' }, body: text };
}

function statusUri(request: HttpRequest, id: string): string {
  return `${new URL(request.url).origin}/api/migrations/${encodeURIComponent(id)}`;
}

async function dashboardData(request: HttpRequest, migrationId: string | null, appId: string | null, listStatus: string | null, everyApp: boolean): Promise<DashboardData> {
  const state = await stateTables();
  const page = await state.migrations.list({ top: 20, ...(listStatus === null ? {} : { status: listStatus as MigrationView['status'] }) });
  const list = { value: page.items.map((r) => migrationView(r, statusUri(request, r.id))), continuationToken: page.continuationToken ?? null };
  const id = migrationId ?? list.value[0]?.id ?? null;
  const record = id === null ? undefined : await state.migrations.get(id);
  const apps: AppView[] = [];
  const appsLoaded = record !== undefined && (everyApp || record.summary.total <= SERVER_RENDERED_APPS);
  if (record !== undefined && appsLoaded) {
    let token: string | undefined;
    do {
      const appPage = await state.apps.list(record.id, { top: 1000, ...(token === undefined ? {} : { continuationToken: token }) });
      apps.push(...appPage.items.map(appView));
      token = appPage.continuationToken;
    } while (token !== undefined && apps.length < MAX_APPS);
  }
  let history: HistoryEntryView[] | null = null;
  if (appId !== null) {
    const entries = await state.audit.listForApp(appId, { top: 200 });
    history = entries.items.map((e) => ({ migrationId: e.migrationId, time: e.time, action: e.action, outcome: e.outcome, message: e.message ?? null, before: e.before ?? null, after: e.after ?? null }));
  }
  return { list, migration: record === undefined ? null : migrationView(record, statusUri(request, record.id)), apps, history, appsLoaded };
}

export async function dashboardPage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const state = readViewState(request.query);
    const data = await dashboardData(request, state.migration, state.app, state.list, request.query.get('all') === '1');
    const html = renderDashboardPage(data, state, request.query.get('code'));
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
  } catch (error) {
    return failure(error, context, 'dashboard');
  }
}

const list = (value: string | null): string[] | undefined => {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length === 0 ? undefined : items;
};

const FormatSchema = z.enum(['html', 'csv', 'json']).default('html');

function requestFromQuery(request: HttpRequest): MigrationRequest {
  const subscriptionIds = list(request.query.getAll('subscriptionIds').join(','));
  if (subscriptionIds === undefined) throw new InvalidReportQueryError('subscriptionIds is required: one or more subscription GUIDs, comma-separated.');
  const resourceGroups = list(request.query.getAll('resourceGroups').join(','));
  const maxParallel = request.query.get('maxParallel');
  const maxParallelPerPlan = request.query.get('maxParallelPerPlan');
  const parsed = MigrationRequestSchema.safeParse({
    scope: { subscriptionIds, ...(resourceGroups === undefined ? {} : { resourceGroups }) },
    ...(maxParallel === null || maxParallel === '' ? {} : { maxParallel: Number(maxParallel) }),
    ...(maxParallelPerPlan === null || maxParallelPerPlan === '' ? {} : { maxParallelPerPlan: Number(maxParallelPerPlan) }),
    dryRun: true,
  });
  if (!parsed.success) throw new InvalidReportQueryError(`The query is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  return parsed.data;
}

/** The dry run POST /api/migrations answers, made into the readiness report. */
export async function readinessReport(body: MigrationRequest): Promise<ReadinessReport> {
  const { deps } = await engineHost();
  const discovery = await discoverFleet(body.scope, { clientsFor: deps.clientsFor });
  const plan = buildMigrationPlan(discovery.inventory, { apiVersion: deps.webApiVersion });
  return buildReadinessReport({
    plan,
    gateways: discovery.gateways,
    appGatewayVnets: discovery.inventory.apps.map((a) => ({ appId: a.id, gatewayVnetIds: a.gatewayConnections.map((c) => c.vnetId) })),
    maxParallel: body.maxParallel,
    maxParallelPerPlan: body.maxParallelPerPlan,
  });
}

export async function reportHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const format = FormatSchema.safeParse(request.query.get('format') ?? undefined);
    if (!format.success) throw new InvalidReportQueryError('format must be html, csv or json.');
    const table = (request.query.get('table') ?? 'apps') as ReportTable;
    if (!REPORT_TABLES.includes(table)) throw new InvalidReportQueryError(`table must be one of ${REPORT_TABLES.join(', ')}.`);
    const body = request.method === 'POST' ? { ...(await readJsonBody(request, MigrationRequestSchema)), dryRun: true } : requestFromQuery(request);
    const report = await readinessReport(body);
    if (format.data === 'json') return { status: 200, headers: SECURITY_HEADERS, jsonBody: { dryRun: true, scope: body.scope, maxParallel: body.maxParallel, maxParallelPerPlan: body.maxParallelPerPlan, report } };
    if (format.data === 'csv') {
      return {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="readiness-${table}.csv"` },
        body: renderReportCsv(report, table),
      };
    }
    const query = new URLSearchParams(new URL(request.url).search);
    query.delete('format');
    query.delete('table');
    const html = renderReportPage(report, { scope: body.scope, generatedTime: new Date().toISOString(), query: query.toString() });
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
  } catch (error) {
    return failure(error, context, 'readiness report');
  }
}

app.http('dashboardPage', { route: 'dashboard', methods: ['GET'], authLevel: 'function', handler: dashboardPage });
app.http('dashboardAsset', { route: 'dashboard/assets/{name}', methods: ['GET'], authLevel: 'anonymous', handler: dashboardAsset });
app.http('readinessReport', { route: 'report', methods: ['GET', 'POST'], authLevel: 'function', handler: reportHandler });
