import { app, type HttpResponseInit } from '@azure/functions';
import { openApiText } from '../http/openapi-document.js';

let text: string | undefined;

/** The API's OpenAPI 3.1 document (docs/openapi.json), anonymous like health: it holds no data, only shapes. */
export function openApiDocument(): HttpResponseInit {
  text ??= openApiText();
  return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }, body: text };
}

app.http('openApiDocument', { route: 'openapi.json', methods: ['GET'], authLevel: 'anonymous', handler: openApiDocument });
