/**
 * The migrator's custom role as infra/main.bicep deploys it (infra/roles/migrator-role.json), turned into the ARM
 * simulator's RBAC configuration, and the simulator's audit log read back as the actions each refused request
 * asked for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RbacConfig, RequestPolicy } from '@vnet-migrator/arm-simulator/contract.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createRbacPolicy } from '@vnet-migrator/arm-simulator/policy/rbac.js';
import { parseArmPath, rbacAction } from '@vnet-migrator/arm-simulator/resource-path.js';
import { REPO_ROOT } from '../e2e/engine-harness.js';

export type Proof = 'migration' | 'rollback' | 'kudu' | 'lingering-link';

export interface RoleAction {
  readonly action: string;
  readonly proof: Proof;
  readonly for: string;
}

export interface MigratorRoleFile {
  readonly roleName: string;
  readonly description: string;
  readonly actions: readonly RoleAction[];
  readonly crossRegion: { readonly roleName: string; readonly description: string; readonly actions: readonly { action: string; for: string }[] };
}

export const ROLE_FILE = path.join(REPO_ROOT, 'infra/roles/migrator-role.json');

export function readMigratorRole(): MigratorRoleFile {
  return JSON.parse(readFileSync(ROLE_FILE, 'utf8')) as MigratorRoleFile;
}

/** The principal the product calls ARM as in the e2e harness (the token's oid is AZURE_CLIENT_ID). */
export const MIGRATOR_PRINCIPAL = 'migrator';

/** RBAC with the migrator holding a custom role of exactly `actions` at each scope. */
export function migratorRbac(actions: readonly string[], scopes: readonly string[], extra: RbacConfig['assignments'] = []): RbacConfig {
  return {
    enabled: true,
    roles: [{ name: 'Migrator under test', actions }],
    assignments: [...scopes.map((scope) => ({ principalId: MIGRATOR_PRINCIPAL, roleName: 'Migrator under test', scope })), ...extra],
  };
}

/** Replaces the simulator's policies with RBAC alone (no faults from the admin store, no throttling). */
export function enforceOnly(sim: SimulatorHandle, rbac: RbacConfig, alsoFaults: readonly RequestPolicy[] = []): void {
  sim.setPolicies([...alsoFaults, createRbacPolicy(rbac)]);
}

export interface Refusal {
  readonly method: string;
  readonly path: string;
  readonly errorCode: string;
  /** The action ARM names in the refusal: the request's own, or the linked join for LinkedAuthorizationFailed. */
  readonly action: string;
}

/** Every 403 of the migrator in the simulator's audit log, with the action it names. */
export function refusals(sim: SimulatorHandle, since = 0): Refusal[] {
  return sim.audit
    .query({ principalId: MIGRATOR_PRINCIPAL, status: 403 })
    .filter((e) => e.time >= since)
    .map((e) => ({
      method: e.method,
      path: e.path,
      errorCode: e.errorCode ?? '',
      action: e.errorCode === 'LinkedAuthorizationFailed' ? 'Microsoft.Network/virtualNetworks/subnets/join/action' : rbacAction(e.method, parseArmPath(e.path)),
    }));
}
