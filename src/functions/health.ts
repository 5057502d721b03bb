import { app, type HttpResponseInit } from '@azure/functions';

/** Liveness for load balancers and the operator CLI: answers without touching ARM or storage. */
export function health(): HttpResponseInit {
  return { status: 200, jsonBody: { status: 'ok', service: 'appservice-vnet-migrator' } };
}

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
