/**
 * Which ARM failures toArmError calls retryable, over RestError objects (the SDK's real class, built the way the
 * SDK builds them) and over real answers of the simulator.
 */
import { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRegional } from '../../../src/azure/app-networking/index.js';
import { toArmError } from '../../../src/azure/to-arm-error.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { startTestSimulator } from '@vnet-migrator/arm-simulator/testing.js';
import { operationOptions, siteId, thrown, VNET_APPS_WE } from './support.js';

const LEASE = 'Failed to acquire ServiceAssociationLinkLease for subnet snet-apps. Please try again later.';

/** A RestError as the SDK throws it for an App Service envelope the error policy normalised. */
function appServiceError(statusCode: number, code: string, message: string, extendedCode?: string): RestError {
  const error = new RestError(message, { statusCode, code });
  error.details = { Code: code, Message: message, error: { code, message, ...(extendedCode === undefined ? {} : { details: [{ code: extendedCode, message }] }) } };
  return error;
}

const table: readonly { readonly name: string; readonly error: RestError; readonly retryable: boolean }[] = [
  { name: '409 ServiceAssociationLinkLease, ExtendedCode 70006', error: appServiceError(409, 'Conflict', LEASE, '70006'), retryable: true },
  { name: '409 with the lease text and no extended code', error: appServiceError(409, 'Conflict', LEASE), retryable: true },
  { name: '409 MultipleVnetIntegrationNotAllowed', error: appServiceError(409, 'Conflict', 'App a already has a gateway-based virtual network integration.', 'MultipleVnetIntegrationNotAllowed'), retryable: false },
  { name: '409 PlanVnetLimitExceeded', error: appServiceError(409, 'Conflict', 'Adding this VNET would exceed the App Service Plan VNET limit of 2.', 'PlanVnetLimitExceeded'), retryable: false },
  { name: '400 SubnetMissingDelegation', error: appServiceError(400, 'BadRequest', 'Subnet s in VNET v is missing a delegation to Microsoft.Web/serverFarms.', 'SubnetMissingDelegation'), retryable: false },
  { name: '500 InternalServerError', error: appServiceError(500, 'InternalServerError', 'An unexpected error occurred.'), retryable: true },
  { name: '504 GatewayTimeout (ARM envelope)', error: appServiceError(504, 'GatewayTimeout', "The gateway did not receive a response from 'Microsoft.Web' within the specified time period."), retryable: true },
  { name: '404 ResourceNotFound', error: appServiceError(404, 'ResourceNotFound', 'not found'), retryable: false },
  { name: 'connection reset (no status)', error: new RestError('socket hang up', { code: 'ECONNRESET' }), retryable: true },
];

describe('toArmError: retryable classification', () => {
  it.each(table)('$name → retryable $retryable', ({ error, retryable }) => {
    const failure = toArmError(error, 'connect app1 to subnet snet-apps');
    expect(failure.retryable).toBe(retryable);
    expect(failure.message).toContain(error.message);
  });

  describe('against the simulator', () => {
    let sim: SimulatorHandle;
    beforeAll(async () => {
      sim = await startTestSimulator({ scenario: 'demo', clockFactor: 300, pageSize: 100 });
    });
    afterAll(async () => {
      await sim?.stop();
    });

    it("App Service's 409 lease conflict on the join comes out retryable, with App Service's text and the app named", async () => {
      const opts = operationOptions(sim);
      sim.faults.add({ kind: 'permanent', status: 409, method: 'PATCH', pathPattern: '/sites/linux-public-we$', message: LEASE, count: 1 });
      const error = await thrown(() => connectRegional(siteId('linux-public-we'), `${VNET_APPS_WE}/subnets/snet-integration-linux`, opts));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('connect linux-public-we to subnet snet-integration-linux failed');
      expect(error.message).toContain(LEASE);
    });
  });
});
