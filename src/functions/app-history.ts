/**
 * One app's audit trail across migrations, oldest first: every change the engine made or attempted to it (with
 * before and after), so an operator can answer "what did the migrator do to this app, and when".
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { errorResponse } from '../http/error-response.js';
import { auditEntryView } from '../http/migration-views.js';
import { nextLink, PageQuerySchema, readQuery } from '../http/query.js';
import { appIdOf } from '../http/route-values.js';
import { stateTables } from './engine-host.js';

export async function appHistory(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const appId = appIdOf(request);
    const query = readQuery(request, PageQuerySchema);
    const page = await (await stateTables()).audit.listForApp(appId, query);
    const self = `${new URL(request.url).origin}/api/apps/${encodeURIComponent(appId)}/history`;
    return {
      status: 200,
      jsonBody: {
        appId,
        value: page.items.map(auditEntryView),
        continuationToken: page.continuationToken ?? null,
        nextLink: nextLink(self, query, page.continuationToken),
      },
    };
  } catch (error) {
    return errorResponse(error, context, 'read app history');
  }
}

app.http('appHistory', { route: 'apps/{appId}/history', methods: ['GET'], authLevel: 'function', handler: appHistory });
