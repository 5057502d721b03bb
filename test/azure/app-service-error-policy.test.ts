import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { appServiceErrorPolicy, normaliseAppServiceError } from '../../src/azure/app-service-error-policy.js';

const MESSAGE = 'Adding this VNET would exceed the App Service Plan VNET limit of 2.';
const errorOf = (body: unknown): unknown => (JSON.parse(normaliseAppServiceError(JSON.stringify(body))!) as { error: unknown }).error;

describe('normaliseAppServiceError', () => {
  it('adds the standard envelope beside App Service fields, keeping every original field', () => {
    const original = {
      Code: 'Conflict',
      Message: MESSAGE,
      Target: null,
      Details: [{ Message: 'x' }, { Code: 'Conflict' }, { ErrorEntity: { ExtendedCode: '04037', Message: 'x' } }],
      Innererror: null,
    };
    const result = JSON.parse(normaliseAppServiceError(JSON.stringify(original))!) as Record<string, unknown>;
    expect(result).toMatchObject(original);
    expect(result['error']).toEqual({
      code: 'Conflict',
      message: MESSAGE,
      details: [{ code: '04037', message: MESSAGE }],
    });
  });

  it.each<[string, unknown, unknown]>([
    ['no Code: a generic code', { Message: MESSAGE }, { code: 'AppServiceError', message: MESSAGE }],
    ['a Code that is not text: a generic code', { Code: 7, Message: MESSAGE }, { code: 'AppServiceError', message: MESSAGE }],
    ['a Target: kept as target', { Code: 'BadRequest', Message: MESSAGE, Target: 'properties.subnetResourceId' }, { code: 'BadRequest', message: MESSAGE, target: 'properties.subnetResourceId' }],
    ['Details that are not a list: no details', { Code: 'BadRequest', Message: MESSAGE, Details: null }, { code: 'BadRequest', message: MESSAGE }],
    [
      'null entries and an ErrorEntity without ExtendedCode are passed over for the first that has one',
      { Code: 'Conflict', Message: MESSAGE, Details: [null, { ErrorEntity: null }, { ErrorEntity: { Message: 'x' } }, { ErrorEntity: { ExtendedCode: 'SubnetMissingDelegation' } }] },
      { code: 'Conflict', message: MESSAGE, details: [{ code: 'SubnetMissingDelegation', message: MESSAGE }] },
    ],
    [
      'a numeric ExtendedCode: kept as text',
      { Code: 'Conflict', Message: MESSAGE, Details: [{ ErrorEntity: { ExtendedCode: 70006 } }] },
      { code: 'Conflict', message: MESSAGE, details: [{ code: '70006', message: MESSAGE }] },
    ],
  ])('%s', (_label, body, error) => {
    expect(errorOf(body)).toStrictEqual(error);
  });

  it.each([
    ['an ARM envelope', JSON.stringify({ error: { code: 'ResourceNotFound', message: 'gone' } })],
    ['an ARM envelope that also has a Message', JSON.stringify({ error: { code: 'ResourceNotFound', message: 'gone' }, Message: 'gone' })],
    ['text that is not JSON', '<html>Bad Gateway</html>'],
    ['JSON null', 'null'],
    ['a JSON number', '404'],
    ['a JSON array', '[1,2]'],
    ['an object without Message', JSON.stringify({ Code: 'BadRequest' })],
  ])('leaves %s alone', (_label, body) => {
    expect(normaliseAppServiceError(body)).toBeUndefined();
  });
});

describe('appServiceErrorPolicy', () => {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app1' });
  const answer = async (status: number, bodyAsText: string | undefined): Promise<PipelineResponse> =>
    appServiceErrorPolicy().sendRequest(request, () => Promise.resolve({ request, status, headers: createHttpHeaders(), ...(bodyAsText === undefined ? {} : { bodyAsText }) }));
  const appServiceBody = JSON.stringify({ Code: 'Conflict', Message: MESSAGE });

  it("rewrites an error response's App Service body", async () => {
    expect(JSON.parse((await answer(409, appServiceBody)).bodyAsText!)).toMatchObject({ error: { code: 'Conflict', message: MESSAGE } });
  });

  it('leaves a successful response alone even when its body has a Message', async () => {
    expect((await answer(200, appServiceBody)).bodyAsText).toBe(appServiceBody);
  });

  it('passes an error response without a body through', async () => {
    const response = await answer(404, undefined);
    expect(response.status).toBe(404);
    expect(response.bodyAsText).toBeUndefined();
  });
});
