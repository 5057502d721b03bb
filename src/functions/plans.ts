import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { InventorySchema } from '../domain/inventory.js';
import { buildMigrationPlan } from '../domain/plan-builder.js';
import { webApiVersionOf } from '../http/api-version.js';
import { errorResponse } from '../http/error-response.js';
import { readJsonBody } from '../http/request-body.js';

/**
 * A hand-made or exported inventory: a 5,000-app fleet with its VNets is about 5 MB. 16 MB leaves room for that
 * and more, and stays far below the host's own limit; the body is validated in bounded time whatever it holds.
 */
export const PLAN_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Dry-run planning: given an inventory (apps, plans, VNets, NSGs — setting names only, never values), answer what
 * would happen to each app: its target subnet, ordered steps and routing, or why it is skipped. Changes nothing.
 */
export async function previewPlan(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const apiVersion = webApiVersionOf(request);
    const inventory = await readJsonBody(request, InventorySchema, { maxBytes: PLAN_BODY_BYTES });
    return { status: 200, jsonBody: buildMigrationPlan(inventory, { apiVersion }) };
  } catch (error) {
    return errorResponse(error, context, 'plan preview');
  }
}

app.http('previewPlan', { route: 'plans', methods: ['POST'], authLevel: 'function', handler: previewPlan });
