/**
 * The names the engine's orchestrations and activities are registered under. Orchestrations call activities by
 * name only, so these strings are the contract between src/orchestrations and src/activities; renaming one breaks
 * every migration in flight (its history names the old function), so they never change once released.
 */
export const ORCHESTRATIONS = {
  fleet: 'migrateFleet',
  planGroup: 'migratePlanGroup',
  /** One app's saga in three parts (migrate-app.ts): before the window, the window, after it. */
  prepareApp: 'prepareApp',
  moveApp: 'moveApp',
  finishApp: 'finishApp',
} as const;

export const ACTIVITIES = {
  setMigrationStatus: 'setMigrationStatus',
  discoverFleet: 'discoverFleet',
  planFleet: 'planFleet',
  loadPlanGroup: 'loadPlanGroup',
  readControl: 'readControl',
  ensureSubnet: 'ensureSubnet',
  rollBackGroupSubnets: 'rollBackGroupSubnets',
  snapshotApp: 'snapshotApp',
  applyRouting: 'applyRouting',
  moveToRegional: 'moveToRegional',
  verifyApp: 'verifyApp',
  removeLegacySettings: 'removeLegacySettings',
  compensate: 'compensate',
  compareWithSnapshot: 'compareWithSnapshot',
  recordAppOutcome: 'recordAppOutcome',
  skipApps: 'skipApps',
  finishFleet: 'finishFleet',
} as const;

/** External events the fleet orchestration listens for (raise them with the Durable client's raiseEvent). */
export const FLEET_EVENTS = { pause: 'pause', resume: 'resume', cancel: 'cancel' } as const;
export type FleetEvent = keyof typeof FLEET_EVENTS;
