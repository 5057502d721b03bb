import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, RestError, type Pipeline } from '@azure/core-rest-pipeline';
import { describeUnparsedAnswer } from './unparsed-answer.js';

const httpClient = createDefaultHttpClient();

/**
 * Sends one request through an SDK client's own pipeline (its credential, TLS settings, retries and the App Service
 * error policy), for the few ARM calls the generated clients cannot make: the flat vnet*Enabled site flags that
 * arm-appservice 19.x drops from its models, and purgeUnusedVirtualNetworkIntegration, which it has no method for.
 * A failure is thrown as the RestError the SDK would throw, so toArmError keeps the service's own text.
 */
export async function sendArmRequest(
  pipeline: Pipeline,
  request: { readonly method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE'; readonly url: string; readonly body?: unknown; readonly abortSignal?: AbortSignal },
): Promise<{ readonly status: number; readonly body: unknown }> {
  const pipelineRequest = createPipelineRequest({
    url: request.url,
    method: request.method,
    headers: createHttpHeaders({ accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) }),
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    ...(request.abortSignal === undefined ? {} : { abortSignal: request.abortSignal }),
  });
  const response = await pipeline.sendRequest(httpClient, pipelineRequest);
  const body = parseJsonText(response.bodyAsText);
  if (response.status >= 400) {
    const inner = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const error = new RestError(typeof inner?.message === 'string' ? inner.message : describeUnparsedAnswer(response.status, response.bodyAsText), {
      statusCode: response.status,
      request: pipelineRequest,
      response,
      ...(typeof inner?.code === 'string' ? { code: inner.code } : {}),
    });
    error.details = body;
    throw error;
  }
  return { status: response.status, body };
}

/** A body as JSON, or undefined when it is empty or not JSON (an error page from a proxy or gateway). */
export function parseJsonText(text: string | null | undefined): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
