/**
 * What the API shows of a migration and of its apps: the stored records, minus what is internal (the per-app plan,
 * which GET /api/plans-style callers can ask for separately; ETags; index rows).
 */
import type { AppRecord } from '../state/app-record-store.js';
import type { AuditEntry } from '../state/audit-log.js';
import { redactWebhookUrl } from '../domain/webhook-url.js';
import type { MigrationRecord } from '../state/migration-store.js';

export function migrationView(record: MigrationRecord, statusUri: string) {
  return {
    id: record.id,
    status: record.status,
    control: record.control,
    createdTime: record.createdTime,
    lastUpdatedTime: record.lastUpdatedTime,
    // Webhook URLs may carry a secret in their query string: never shown back.
    request: record.request.webhookUrls === undefined ? record.request : { ...record.request, webhookUrls: record.request.webhookUrls.map(redactWebhookUrl) },
    summary: record.summary,
    plan: record.plan ?? null,
    gatewayReport: record.gatewayReport ?? null,
    breaker: record.breaker ?? null,
    schedule: record.schedule ?? null,
    error: record.error ?? null,
    advice: record.advice ?? null,
    statusUri,
    appsUri: `${statusUri}/apps`,
  };
}

export function appView(record: AppRecord) {
  return {
    appId: record.appId,
    planId: record.planId,
    phase: record.phase,
    outcome: record.outcome,
    reasonCode: record.reasonCode ?? null,
    message: record.message ?? null,
    subnetId: record.subnetId ?? null,
    downtimeSeconds: record.downtimeSeconds ?? null,
    startedTime: record.startedTime ?? null,
    finishedTime: record.finishedTime ?? null,
    needsAttention: record.needsAttention ?? false,
    difference: record.difference ?? [],
    latencyInMs: record.latency ?? {},
    advice: record.advice ?? [],
    strategy: record.plan?.strategy ?? record.strategy ?? null,
  };
}

export function auditEntryView(entry: AuditEntry) {
  return {
    migrationId: entry.migrationId,
    time: entry.time,
    action: entry.action,
    outcome: entry.outcome,
    message: entry.message ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}
