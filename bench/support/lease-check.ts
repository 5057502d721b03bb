/**
 * Lease violations for the crash runs: "no two migrations, and no two instances of one, touch an app at once" checked
 * after the fact, from the simulator's audit log (what reached ARM) and the product's state tables (which migration
 * wrote what, which leases are left).
 */
import type { AuditEntry as ArmAuditEntry } from '@vnet-migrator/arm-simulator/audit-log.js';
import type { AuditEntry } from '../../src/state/audit-log.js';
import type { StateTables } from '../../src/state/state-tables.js';

/** The app (site or slot) an ARM path belongs to, lower-cased; undefined for anything else. */
export function appOfPath(path: string): string | undefined {
  return /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+(?:\/slots\/[^/]+)?)(?:\/|$)/.exec(path.toLowerCase())?.[1];
}

/**
 * Writes (anything but GET/HEAD) to one app whose time at ARM overlaps: one migration moves an app with one request
 * at a time, so an overlap means two instances were at it at once. An entry's `time` is the simulated instant it was
 * answered and `durationMs` is real, so it arrived `durationMs × clockFactor` simulated ms earlier. `slackMs` (real)
 * absorbs the gap between the simulator stamping the end of one request and the same client's next one arriving.
 */
export function concurrentWrites(audit: readonly ArmAuditEntry[], clockFactor: number, slackMs = 20): string[] {
  const byApp = new Map<string, { start: number; end: number; what: string }[]>();
  for (const e of audit) {
    if (e.method === 'GET' || e.method === 'HEAD') continue;
    const app = appOfPath(e.path);
    if (app === undefined) continue;
    const list = byApp.get(app) ?? [];
    list.push({ start: e.time - e.durationMs * clockFactor, end: e.time, what: `${e.method} ${e.path} -> ${e.handlerStatus ?? e.status}` });
    byApp.set(app, list);
  }
  const found: string[] = [];
  for (const [app, writes] of byApp) {
    writes.sort((a, b) => a.start - b.start);
    let latest = writes[0];
    for (const w of writes.slice(1)) {
      if (latest !== undefined && w.start < latest.end - slackMs * clockFactor) found.push(`${app}: "${w.what}" arrived ${Math.round((latest.end - w.start) / clockFactor)} ms (real) before "${latest.what}" was answered`);
      if (latest === undefined || w.end > latest.end) latest = w;
    }
  }
  return found;
}

/** Every row of a migration's part of the product's audit log. */
export async function migrationAudit(state: StateTables, migrationId: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let token: string | undefined;
  do {
    const page = await state.audit.listForMigration(migrationId, { top: 1000, ...(token === undefined ? {} : { continuationToken: token }) });
    entries.push(...page.items);
    token = page.continuationToken;
  } while (token !== undefined);
  return entries;
}
