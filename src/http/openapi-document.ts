/**
 * The OpenAPI 3.1 document of the whole HTTP API. Component schemas are generated from the zod schemas the
 * handlers validate with (requests) and answer with (api-schemas.ts), so the document cannot drift from the code;
 * the paths are written here by hand. docs/openapi.json is this document, committed; a test keeps it identical
 * (`npm run openapi` rewrites it), and GET /api/openapi.json serves it.
 */
import { z } from 'zod';
import { InventorySchema } from '../domain/inventory.js';
import { MIGRATION_STATUSES, APP_OUTCOMES } from '../domain/migration-model.js';
import { MigrationRequestSchema } from '../domain/migration-request.js';
import {
  AcceptedSchema,
  AppHistorySchema,
  AppListSchema,
  ControlAcceptedSchema,
  DryRunSchema,
  HealthSchema,
  MigrationListSchema,
  MigrationSchema,
  PlanSchema,
  ProblemSchema,
} from './api-schemas.js';
import { DEFAULT_WEB_API_VERSION, SUPPORTED_WEB_API_VERSIONS } from './api-version.js';
import { REPORT_TABLES } from '../dashboard/report-view.js';

type Json = Record<string, unknown>;

function component(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string): Json => ({ description, content: { 'application/json': { schema: ref(name) } } });

const PROBLEM_REASONS: Readonly<Record<number, string>> = {
  400: 'Malformed JSON, unknown fields, invalid ids or query values',
  401: 'No valid function key (x-functions-key header or code query parameter) while keys are configured',
  404: 'No such migration',
  409: 'The state does not allow it',
  413: "The body is larger than this endpoint's limit",
  415: 'The body is not application/json',
  422: 'A well-formed request the planner cannot satisfy',
  500: 'Unexpected failure (the message is kept, never the stack)',
  503: 'Storage or ARM unavailable; retry later',
};

/** Every error the app answers is problem+json; 401 comes from the Functions host itself, with an empty body. */
function problems(...statuses: number[]): Json {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      status === 401 ? { description: PROBLEM_REASONS[status] } : { description: PROBLEM_REASONS[status], content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );
}

const KEYED = [401, 500, 503];

const pathId: Json = { name: 'id', in: 'path', required: true, description: 'Migration id (a GUID)', schema: { type: 'string', format: 'uuid' } };
const paging: Json[] = [
  { name: 'top', in: 'query', required: false, description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  { name: 'continuationToken', in: 'query', required: false, description: "The previous page's continuationToken", schema: { type: 'string', maxLength: 2048 } },
];

function control(action: 'pause' | 'resume' | 'cancel', needs: string): Json {
  return {
    post: {
      operationId: `${action}Migration`,
      summary: `${action[0]?.toUpperCase()}${action.slice(1)} a migration`,
      description: `Raises the ${action} event; the migration records its new status itself. Needs the migration to be ${needs}.`,
      parameters: [pathId],
      responses: { '202': json('ControlAccepted', 'Event raised; poll statusUri'), ...problems(400, 404, 409, ...KEYED) },
    },
  };
}

/** The readiness report's format and table choice, shared by its GET and POST. */
const reportFormat = [
  { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['html', 'csv', 'json'], default: 'html' } },
  { name: 'table', in: 'query', required: false, description: 'csv: which table', schema: { type: 'string', enum: [...REPORT_TABLES], default: 'apps' } },
];
const reportAnswer = {
  description: 'The report: an HTML page, CSV, or JSON ({dryRun, scope, maxParallel, maxParallelPerPlan, report})',
  content: { 'text/html': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
};

export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'appservice-vnet-migrator',
      version: '0.1.0',
      description:
        'Moves fleets of Azure App Service apps from gateway-based to regional VNet integration. Every error is application/problem+json with a stable `code`.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    paths: {
      // Every route the app registers is here; test/http/openapi-document.test.ts checks the list against src/functions.
      '/health': {
        get: { operationId: 'health', summary: 'Liveness', security: [], responses: { '200': json('Health', 'The service answers') } },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApiDocument',
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/plans': {
        post: {
          operationId: 'previewPlan',
          summary: 'Plan a hand-made inventory (dry run, changes nothing)',
          description: 'Body limit 16 MiB. Answers at most 20 field problems, with their count.',
          parameters: [
            { name: 'api-version', in: 'query', required: false, description: 'Microsoft.Web api-version the plan writes with', schema: { type: 'string', enum: [...SUPPORTED_WEB_API_VERSIONS], default: DEFAULT_WEB_API_VERSION } },
            { name: 'apiVersion', in: 'query', required: false, description: 'Same as api-version; both given must agree', schema: { type: 'string', enum: [...SUPPORTED_WEB_API_VERSIONS] } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Inventory') } } },
          responses: { '200': json('Plan', 'The plan'), ...problems(400, 413, 415, 422, ...KEYED) },
        },
      },
      '/migrations': {
        post: {
          operationId: 'startMigration',
          summary: 'Start a migration (or a dry run)',
          description: 'Body limit 2 MiB. A retried POST with the same Idempotency-Key answers the first migration.',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('MigrationRequest') } } },
          responses: {
            '200': json('DryRun', 'Dry run: the plan from live discovery; nothing written'),
            '202': json('Accepted', 'Started; poll statusUri (also in Location)'),
            ...problems(400, 409, 413, 415, 422, ...KEYED),
          },
        },
        get: {
          operationId: 'listMigrations',
          summary: 'List migrations, newest first',
          parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...MIGRATION_STATUSES] } }, ...paging],
          responses: { '200': json('MigrationList', 'A page of migrations'), ...problems(400, ...KEYED) },
        },
      },
      '/migrations/{id}': {
        get: {
          operationId: 'getMigration',
          summary: "A migration's status",
          parameters: [pathId],
          responses: { '200': json('Migration', 'The migration'), ...problems(400, 404, ...KEYED) },
        },
      },
      '/migrations/{id}/apps': {
        get: {
          operationId: 'listMigrationApps',
          summary: "A migration's apps, in plan order",
          parameters: [pathId, { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...APP_OUTCOMES] } }, ...paging],
          responses: { '200': json('AppList', 'A page of apps'), ...problems(400, 404, ...KEYED) },
        },
      },
      '/migrations/{id}/pause': control('pause', 'Running'),
      '/migrations/{id}/resume': control('resume', 'Paused'),
      '/migrations/{id}/cancel': control('cancel', 'Pending, Running or Paused'),
      '/report': {
        get: {
          operationId: 'readinessReport',
          summary: 'Readiness report of a scope (a dry run: live discovery and the plan; changes nothing)',
          parameters: [
            { name: 'subscriptionIds', in: 'query', required: true, description: 'Subscription GUIDs, comma-separated', schema: { type: 'string' } },
            { name: 'resourceGroups', in: 'query', required: false, description: 'Resource group names, comma-separated', schema: { type: 'string' } },
            { name: 'maxParallel', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'maxParallelPerPlan', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 } },
            ...reportFormat,
          ],
          responses: { '200': reportAnswer, ...problems(400, ...KEYED) },
        },
        post: {
          operationId: 'readinessReportOfRequest',
          summary: 'Readiness report of a migration request body (always a dry run)',
          parameters: reportFormat,
          requestBody: { required: true, content: { 'application/json': { schema: ref('MigrationRequest') } } },
          responses: { '200': reportAnswer, ...problems(400, 413, 415, 422, ...KEYED) },
        },
      },
      '/dashboard': {
        get: {
          operationId: 'dashboard',
          summary: 'Operator dashboard (server-rendered HTML page over this API)',
          parameters: [
            { name: 'migration', in: 'query', required: false, description: 'Migration id to show', schema: { type: 'string' } },
            { name: 'app', in: 'query', required: false, description: 'App id to show', schema: { type: 'string' } },
            { name: 'all', in: 'query', required: false, description: '1: render every app in the first paint', schema: { type: 'string', enum: ['1'] } },
          ],
          responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } }, ...problems(400, 404, ...KEYED) },
        },
      },
      '/dashboard/assets/{name}': {
        get: {
          operationId: 'dashboardAsset',
          summary: "The dashboard's script and styles (no key: the page's own files)",
          security: [],
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The file', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } } }, ...problems(404) },
        },
      },
      '/apps/{appId}/history': {
        get: {
          operationId: 'appHistory',
          summary: "One app's audit trail across migrations, oldest first",
          parameters: [
            { name: 'appId', in: 'path', required: true, description: 'ARM id of a site or slot, URL-encoded as one segment', schema: { type: 'string', maxLength: 1024 } },
            ...paging,
          ],
          responses: { '200': json('AppHistory', 'A page of audit entries'), ...problems(400, ...KEYED) },
        },
      },
    },
    components: {
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
      schemas: {
        Inventory: component(InventorySchema, 'input'),
        MigrationRequest: component(MigrationRequestSchema, 'input'),
        Problem: component(ProblemSchema, 'output'),
        Health: component(HealthSchema, 'output'),
        Accepted: component(AcceptedSchema, 'output'),
        ControlAccepted: component(ControlAcceptedSchema, 'output'),
        Migration: component(MigrationSchema, 'output'),
        MigrationList: component(MigrationListSchema, 'output'),
        AppList: component(AppListSchema, 'output'),
        AppHistory: component(AppHistorySchema, 'output'),
        Plan: component(PlanSchema, 'output'),
        DryRun: component(DryRunSchema, 'output'),
      },
    },
  };
}

/** The document as committed in docs/openapi.json: two-space JSON and a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
