/**
 * Webhook delivery: one JSON event POSTed to every URL of the migration (its request's webhookUrls and the
 * MIGRATOR_WEBHOOK_URL setting). Each URL gets a few tries with a timeout; a receiver that is down or slow costs the
 * migration nothing, because this never throws and orchestrations never wait for it (BackgroundTasks). A URL's query
 * string and user info may carry a secret: only redactWebhookUrl's form appears in results and messages.
 */
import type { MigrationRecord } from '../state/migration-store.js';
import { redactWebhookUrl, webhookUrlProblem } from '../domain/webhook-url.js';
import type { WebhookNotice } from '../orchestrations/schedule-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';

export interface WebhookOptions {
  /** The MIGRATOR_WEBHOOK_URL setting: every migration's events go there too. */
  readonly settingUrl?: string;
  readonly timeoutInMs: number;
  /** Tries per URL and the waits between them. */
  readonly retryDelaysInMs: readonly number[];
}

export interface WebhookDelivery {
  readonly delivered: number;
  readonly failed: readonly { readonly url: string; readonly reason: string }[];
}

/** What a receiver gets. `id` is stable across retries of one event, so a receiver can drop duplicates. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookNotice['type'];
  readonly time: string;
  readonly migrationId: string;
  readonly status: MigrationRecord['status'] | null;
  readonly summary: MigrationRecord['summary'] | null;
  readonly data: Readonly<Record<string, unknown>>;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export function notifyWebhooks(deps: EngineDependencies, options: WebhookOptions) {
  return async (notice: WebhookNotice): Promise<WebhookDelivery> => {
    try {
      const record = await deps.state.migrations.get(notice.migrationId);
      const urls = [...new Set([...(record?.request.webhookUrls ?? []), ...(options.settingUrl === undefined ? [] : [options.settingUrl])])];
      if (urls.length === 0) return { delivered: 0, failed: [] };
      const event: WebhookEvent = {
        id: `${notice.migrationId}:${notice.sequence}`,
        type: notice.type,
        time: deps.now().toISOString(),
        migrationId: notice.migrationId,
        status: record?.status ?? null,
        summary: record?.summary ?? null,
        data: await withAppFacts(deps, notice),
      };
      const body = JSON.stringify(event);
      const results = await Promise.all(urls.map((url) => deliverWebhook(url, body, options)));
      const failed = results.flatMap((r, i) => (r === undefined ? [] : [{ url: redactWebhookUrl(urls[i]!), reason: r }]));
      return { delivered: urls.length - failed.length, failed };
    } catch (error) {
      // Storage blinked or a bug: the event is lost, the migration is not.
      return { delivered: 0, failed: [{ url: 'all', reason: error instanceof Error ? error.message : String(error) }] };
    }
  };
}

/** An app's event carries the app's outcome, reason and message from its record. */
async function withAppFacts(deps: EngineDependencies, notice: WebhookNotice): Promise<Record<string, unknown>> {
  const appId = notice.data['appId'];
  if (typeof appId !== 'string') return { ...notice.data };
  const app = await deps.state.apps.get(notice.migrationId, appId);
  return { ...notice.data, outcome: app?.outcome ?? null, reasonCode: app?.reasonCode ?? null, message: app?.message ?? null, needsAttention: app?.needsAttention ?? false };
}

/** One event to one URL, with the options' tries: undefined when delivered; else why not (never naming the URL). */
export async function deliverWebhook(url: string, body: string, options: WebhookOptions): Promise<string | undefined> {
  const problem = webhookUrlProblem(url);
  if (problem !== undefined) return `not a webhook URL: ${problem}`;
  let reason = 'not tried';
  for (let attempt = 0; attempt <= options.retryDelaysInMs.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.retryDelaysInMs[attempt - 1]));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'appservice-vnet-migrator' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutInMs),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return undefined;
      reason = `answered ${response.status}`;
      if (!RETRYABLE.has(response.status)) return reason;
    } catch (error) {
      // fetch's messages name the URL in some failures; keep only the kind of failure.
      reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${options.timeoutInMs} ms` : `could not connect (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'})`;
    }
  }
  return reason;
}
