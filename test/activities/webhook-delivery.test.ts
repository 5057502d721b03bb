/**
 * Webhook delivery against real local receivers: retried on 5xx and 429, not on other 4xx, bounded by its timeout,
 * and its failure reasons never carry the URL (whose query string may be a secret).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../src/activities/notify-webhooks.js';

const servers: Server[] = [];
async function receiver(answer: (hit: number) => number | 'hang'): Promise<{ url: string; hits: () => number; bodies: string[] }> {
  let hits = 0;
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      const status = answer(++hits);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?sig=topsecret`, hits: () => hits, bodies };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const OPTIONS = { timeoutInMs: 300, retryDelaysInMs: [10, 20] };

describe('webhook delivery', () => {
  it('retries a 503 and a 429, then delivers the same body', async () => {
    const r = await receiver((hit) => (hit === 1 ? 503 : hit === 2 ? 429 : 204));
    expect(await deliverWebhook(r.url, '{"a":1}', OPTIONS)).toBeUndefined();
    expect(r.hits()).toBe(3);
    expect(new Set(r.bodies)).toEqual(new Set(['{"a":1}']));
  });

  it('does not retry a 404, and gives up after its tries on a 500', async () => {
    const notFound = await receiver(() => 404);
    expect(await deliverWebhook(notFound.url, '{}', OPTIONS)).toBe('answered 404');
    expect(notFound.hits()).toBe(1);
    const broken = await receiver(() => 500);
    expect(await deliverWebhook(broken.url, '{}', OPTIONS)).toBe('answered 500');
    expect(broken.hits()).toBe(3);
  });

  it('gives up on a receiver that never answers within the timeout, and one that is not there, naming neither URL', async () => {
    const slow = await receiver(() => 'hang');
    const reason = await deliverWebhook(slow.url, '{}', OPTIONS);
    expect(reason).toBe('no answer within 300 ms');
    expect(slow.hits()).toBe(3);
    const gone = await deliverWebhook('http://127.0.0.1:9/hook?sig=topsecret', '{}', OPTIONS);
    expect(gone).toMatch(/^could not connect/);
    expect(`${reason} ${gone}`).not.toContain('topsecret');
  });
});
