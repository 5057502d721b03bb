import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { InventorySchema } from '../domain/inventory.js';
import { buildMigrationPlan } from '../domain/plan-builder.js';
import { isMigratorError } from '../domain/errors.js';
import { internalErrorResponse, problemResponse } from '../http/problem.js';
import { InvalidRequestBodyError, readJsonBody, UnsupportedMediaTypeError } from '../http/request-body.js';
import { InvalidApiVersionError, parseWebApiVersion } from '../http/api-version.js';

/**
 * Dry-run planning: given an inventory (apps, plans, VNets, NSGs — setting names only, never values), answer what
 * would happen to each app: its target subnet, ordered steps and routing, or why it is skipped. Changes nothing.
 */
export async function previewPlan(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const apiVersion = parseWebApiVersion(request.query.get('apiVersion'));
    const inventory = await readJsonBody(request, InventorySchema);
    return { status: 200, jsonBody: buildMigrationPlan(inventory, { apiVersion }) };
  } catch (error) {
    if (error instanceof InvalidRequestBodyError) return problemResponse(400, error.toJSON(), error.fieldErrors);
    if (error instanceof UnsupportedMediaTypeError) return problemResponse(415, error.toJSON());
    if (error instanceof InvalidApiVersionError) return problemResponse(400, error.toJSON());
    if (isMigratorError(error) && !error.retryable) return problemResponse(422, error.toJSON());
    context.error('plan preview failed', error);
    return internalErrorResponse(error);
  }
}

app.http('previewPlan', { route: 'plans', methods: ['POST'], authLevel: 'function', handler: previewPlan });
