/**
 * An HTTP proxy in front of Azurite that counts the Table Storage requests passing through it, by kind (point read,
 * query, insert/upsert, update, delete, transaction) and by bytes, so a bench can say how many storage requests an
 * operation cost, not only how long it took.
 */
import http from 'node:http';

export type RequestKind = 'pointRead' | 'query' | 'write' | 'delete' | 'transaction' | 'other';

export interface RequestCounts {
  total: number;
  byKind: Record<RequestKind, number>;
  /** Sum of each request's time from arrival to the end of its answer, by kind (ms). */
  msByKind: Record<RequestKind, number>;
  /** Operations carried inside transactions (each transaction's changesets). */
  transactionOperations: number;
  requestBytes: number;
  responseBytes: number;
}

export interface CountingProxy {
  readonly port: number;
  /** Counts since the last reset. */
  counts(): RequestCounts;
  reset(): void;
  close(): Promise<void>;
}

const emptyCounts = (): RequestCounts => ({
  total: 0,
  byKind: { pointRead: 0, query: 0, write: 0, delete: 0, transaction: 0, other: 0 },
  msByKind: { pointRead: 0, query: 0, write: 0, delete: 0, transaction: 0, other: 0 },
  transactionOperations: 0,
  requestBytes: 0,
  responseBytes: 0,
});

/** `GET /account/Table(PartitionKey='..',RowKey='..')` is a point read; `GET /account/Table()?$filter=` a query. */
function kindOf(method: string, path: string): RequestKind {
  if (path.includes('$batch')) return 'transaction';
  if (method === 'GET') return /\(PartitionKey=/.test(decodeURIComponent(path)) ? 'pointRead' : 'query';
  if (method === 'DELETE') return 'delete';
  if (method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'MERGE') return 'write';
  return 'other';
}

export async function startCountingProxy(targetHost: string, targetPort: number): Promise<CountingProxy> {
  let counts = emptyCounts();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((request, response) => {
    const kind = kindOf(request.method ?? 'GET', request.url ?? '');
    const started = performance.now();
    const counted = counts;
    counts.total++;
    counts.byKind[kind]++;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      counts.requestBytes += body.length;
      if (kind === 'transaction') counts.transactionOperations += (body.toString('latin1').match(/^Content-Type: application\/http/gim) ?? []).length;
      const upstream = http.request(
        { host: targetHost, port: targetPort, method: request.method, path: request.url, headers: request.headers, agent },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on('data', (chunk: Buffer) => {
            counts.responseBytes += chunk.length;
            response.write(chunk);
          });
          answer.on('end', () => {
            counted.msByKind[kind] += performance.now() - started;
            response.end();
          });
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the counting proxy has no port');
  return {
    port: address.port,
    counts: () => structuredClone(counts),
    reset: () => {
      counts = emptyCounts();
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
