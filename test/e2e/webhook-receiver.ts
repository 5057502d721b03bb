/** A real HTTP receiver on this machine for webhook events: what arrived, in order, with each request's path and query. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  readonly path: string;
  readonly query: string;
  readonly type: string;
  readonly id: string;
  readonly migrationId: string;
  readonly data: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** The receiver's URL with this path and query. */
  url(pathAndQuery: string): string;
  readonly events: ReceivedEvent[];
  /** Resolves once an event of `type` (of `migrationId`, when given) has arrived; rejects after 10 s. */
  waitFor(type: string, migrationId?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const events: ReceivedEvent[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      events.push({ ...(JSON.parse(body) as Omit<ReceivedEvent, 'path' | 'query'>), path: url.pathname, query: url.search });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (pathAndQuery) => `http://127.0.0.1:${port}${pathAndQuery}`,
    events,
    async waitFor(type, migrationId) {
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.type === type && (migrationId === undefined || e.migrationId === migrationId))) {
        if (Date.now() > deadline) throw new Error(`no ${type} event arrived; got ${events.map((e) => e.type).join(', ') || 'none'}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
