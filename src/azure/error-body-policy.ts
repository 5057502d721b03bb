import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';

/**
 * Keeps the body of every error answer beside its request, for the one SDK path that drops it: a failed page of a
 * paged list. The generated clients' paging helper throws a RestError whose message is only "Pagination failed
 * with unexpected statusCode 400", with ARM's parsed error body nowhere on it; its `request` is the request this
 * policy saw, so toArmError can still show ARM's own text. Weakly held: nothing outlives the request.
 */
export const ERROR_BODY_POLICY_NAME = 'errorBodyPolicy';

const errorBodies = new WeakMap<PipelineRequest, string>();

export function errorBodyPolicy(): PipelinePolicy {
  return {
    name: ERROR_BODY_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const response = await next(request);
      if (response.status >= 400 && typeof response.bodyAsText === 'string') errorBodies.set(request, response.bodyAsText);
      return response;
    },
  };
}

/** The body of the error answer to `request`, if this policy saw one. */
export function errorBodyOf(request: PipelineRequest | undefined): string | undefined {
  return request === undefined ? undefined : errorBodies.get(request);
}
