/**
 * What the simulator's audit log says the engine did to each app: its successful gateway disconnects and regional
 * joins. "Touched twice" means more than one of either.
 */
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { rawRequest } from '@vnet-migrator/arm-simulator/testing.js';

export interface AuditRow {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** What the handler itself answered, when the client was told something else (applied-then-504, applied-then-reset). */
  readonly handlerStatus?: number;
  readonly errorCode?: string;
}

export async function auditSince(sim: SimulatorHandle, since: number): Promise<AuditRow[]> {
  return ((await rawRequest(sim, 'GET', `/_simulator/audit?since=${since}&limit=100000`)).json() as { value: AuditRow[] }).value;
}

/**
 * An app's own applied writes: the handler succeeded, whatever the client was told (a write applied yet answered
 * 504 counts). A site's prefix also starts its slots' paths, so paths are matched exactly.
 */
export function appWrites(audit: readonly AuditRow[], appId: string): { disconnects: AuditRow[]; joins: AuditRow[] } {
  const site = appId.toLowerCase();
  const ok = audit.filter((e) => (e.handlerStatus ?? e.status) >= 200 && (e.handlerStatus ?? e.status) < 300);
  const connection = new RegExp(`^${site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/virtualnetworkconnections/[^/]+$`);
  return {
    disconnects: ok.filter((e) => e.method === 'DELETE' && connection.test(e.path.toLowerCase())),
    joins: ok.filter((e) => e.method === 'PATCH' && e.path.toLowerCase() === site),
  };
}
