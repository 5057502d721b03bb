/**
 * For tests that run against the simulator (its own, the product's cross-checks and e2e tests): a simulator on a free
 * port with short long-running operations, a test credential, raw HTTPS requests, a standard small world.
 */
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from './index.js';
import type { ExtendedSimulatorOptions, SimulatorHandle } from './index.js';

export const SUB = '00000000-0000-0000-0000-0000000000aa';
export const RG = 'rg-test';
export const WEB = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web`;
export const NET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network`;

/** Certificates are generated once per machine run and reused, as the simulator itself does across starts. */
export const TEST_DATA_DIR = path.join(os.tmpdir(), 'arm-simulator-test-certs');

export function startTestSimulator(options: ExtendedSimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator({ port: 0, dataDir: TEST_DATA_DIR, longRunningOperationMs: 300, pageSize: 2, ...options });
}

/** What the Azure SDK asks of a credential (@azure/core-auth's TokenCredential), without depending on the SDK. */
export interface TestCredential {
  getToken(): Promise<{ token: string; expiresOnTimestamp: number }>;
}

/** A credential handing out a JWT-shaped token with an oid, so the simulator can name the principal. */
export function staticCredential(oid = 'test-principal'): TestCredential {
  const payload = Buffer.from(JSON.stringify({ oid, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { getToken: () => Promise.resolve({ token: `e30.${payload}.`, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

export function clientOptions(sim: SimulatorHandle): { endpoint: string; tlsOptions: { ca: string } } {
  return { endpoint: sim.url, tlsOptions: { ca: sim.caPem } };
}

/** Raw HTTPS call to the simulator (fetch cannot take a CA, so node:https). */
export async function rawRequest(
  sim: SimulatorHandle,
  method: string,
  pathAndQuery: string,
  body?: string | Buffer,
  headers: Record<string, string> = { Authorization: 'Bearer opaque-token' },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => unknown }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${pathAndQuery}`, { method, ca: sim.caPem, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Captures the last raw response so a test can read App Service's envelope the SDK cannot parse. */
export function captureResponses(): { onResponse: (r: unknown) => void; lastBody: () => string } {
  let last = '';
  return {
    onResponse: (r: unknown) => {
      const raw = r as { bodyAsText?: string | null };
      last = raw.bodyAsText ?? '';
    },
    lastBody: () => last,
  };
}

/** A standard world: a VNet in westeurope with a delegated /26 and a plan. */
export function baseWorld(sim: SimulatorHandle, options: { tier?: string; planKind?: string; subnetPrefix?: string; delegated?: boolean } = {}): void {
  sim.seed([
    {
      id: `${NET}/virtualNetworks/vnet1`,
      body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } },
    },
    {
      id: `${NET}/virtualNetworks/vnet1/subnets/apps`,
      body: {
        properties: {
          addressPrefix: options.subnetPrefix ?? '10.0.1.0/26',
          delegations: options.delegated === false ? [] : [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }],
        },
      },
    },
    {
      id: `${WEB}/serverfarms/plan1`,
      body: { location: 'West Europe', kind: options.planKind ?? 'app', sku: { name: 'P1v3', tier: options.tier ?? 'PremiumV3', capacity: 1 }, properties: {} },
    },
  ]);
}

/** A route-based SSTP point-to-site VPN gateway `gw1` in vnet1's GatewaySubnet: what gateway-based integration needs. */
export function seedGateway(sim: SimulatorHandle, options: { clientAddressPool?: string } = {}): void {
  sim.seed([
    { id: `${NET}/virtualNetworks/vnet1/subnets/GatewaySubnet`, body: { properties: { addressPrefix: '10.0.255.0/27' } } },
    {
      id: `${NET}/virtualNetworkGateways/gw1`,
      body: {
        location: 'westeurope',
        properties: {
          gatewayType: 'Vpn', vpnType: 'RouteBased',
          ipConfigurations: [{ name: 'ipconfig', properties: { subnet: { id: `${NET}/virtualNetworks/vnet1/subnets/GatewaySubnet` } } }],
          vpnClientConfiguration: {
            ...(options.clientAddressPool === undefined ? {} : { vpnClientAddressPool: { addressPrefixes: [options.clientAddressPool] } }),
            vpnClientProtocols: ['SSTP'],
          },
        },
      },
    },
  ]);
}
