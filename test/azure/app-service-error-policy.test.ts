import { describe, expect, it } from 'vitest';
import { normaliseAppServiceError } from '../../src/azure/app-service-error-policy.js';

describe('normaliseAppServiceError', () => {
  it('adds the standard envelope beside App Service fields, keeping every original field', () => {
    const original = {
      Code: 'Conflict',
      Message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.',
      Target: null,
      Details: [{ Message: 'x' }, { Code: 'Conflict' }, { ErrorEntity: { ExtendedCode: '04037', Message: 'x' } }],
      Innererror: null,
    };
    const result = JSON.parse(normaliseAppServiceError(JSON.stringify(original))!) as Record<string, unknown>;
    expect(result).toMatchObject(original);
    expect(result['error']).toEqual({
      code: 'Conflict',
      message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.',
      details: [{ code: '04037', message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.' }],
    });
  });

  it.each([
    ['an ARM envelope', JSON.stringify({ error: { code: 'ResourceNotFound', message: 'gone' } })],
    ['text that is not JSON', '<html>Bad Gateway</html>'],
    ['a JSON array', '[1,2]'],
    ['an object without Message', JSON.stringify({ Code: 'BadRequest' })],
  ])('leaves %s alone', (_label, body) => {
    expect(normaliseAppServiceError(body)).toBeUndefined();
  });
});
