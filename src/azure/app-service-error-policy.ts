import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';

/**
 * App Service answers errors in its own capitalised envelope ({Code, Message, Target, Details, Innererror}) where
 * ARM's is {error:{code, message}}. The generated Microsoft.Web client reads only the latter, so without this
 * policy every App Service failure surfaces as "Unexpected status code: 400" and the service's real text is lost.
 * The policy adds the standard envelope beside the original fields, so the SDK's RestError carries App Service's
 * code and message and nothing of the original body is dropped.
 */
export const APP_SERVICE_ERROR_POLICY_NAME = 'appServiceErrorEnvelopePolicy';

interface AppServiceEnvelope {
  readonly Code?: unknown;
  readonly Message?: unknown;
  readonly Target?: unknown;
  readonly Details?: unknown;
  readonly error?: unknown;
}

export function appServiceErrorPolicy(): PipelinePolicy {
  return {
    name: APP_SERVICE_ERROR_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const response = await next(request);
      if (response.status >= 400 && typeof response.bodyAsText === 'string' && response.bodyAsText.length > 0) {
        const normalised = normaliseAppServiceError(response.bodyAsText);
        if (normalised !== undefined) response.bodyAsText = normalised;
      }
      return response;
    },
  };
}

/** The body with a standard `error` object added, or undefined when it is not App Service's envelope. */
export function normaliseAppServiceError(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const envelope = body as AppServiceEnvelope;
  if (envelope.error !== undefined || typeof envelope.Message !== 'string') return undefined;
  const extendedCode = extendedCodeOf(envelope.Details);
  return JSON.stringify({
    ...envelope,
    error: {
      code: typeof envelope.Code === 'string' ? envelope.Code : 'AppServiceError',
      message: envelope.Message,
      ...(typeof envelope.Target === 'string' ? { target: envelope.Target } : {}),
      ...(extendedCode === undefined ? {} : { details: [{ code: extendedCode, message: envelope.Message }] }),
    },
  });
}

/** App Service puts its specific error number or name in Details[].ErrorEntity.ExtendedCode. */
function extendedCodeOf(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as unknown[]) {
    const entity = (detail as { ErrorEntity?: { ExtendedCode?: unknown } } | null)?.ErrorEntity;
    if (entity && (typeof entity.ExtendedCode === 'string' || typeof entity.ExtendedCode === 'number')) return String(entity.ExtendedCode);
  }
  return undefined;
}
