import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The shape of C3's Durable HTTP management API (tools/functions-localhost/src/durable/management-api.ts) as the host uses it:
 * it serves /runtime/webhooks/durabletask/... and gives the value of every `durableClient` input binding.
 */
export interface DurableManagementApi {
  handle(req: IncomingMessage, res: ServerResponse, subPath: string, query: URLSearchParams): Promise<void>;
  clientBindingValue(): Record<string, unknown>;
}

export const DURABLE_WEBHOOK_PREFIX = '/runtime/webhooks/durabletask/';
