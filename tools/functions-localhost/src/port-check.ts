import { createServer } from 'node:net';

/**
 * Whether `host:port` can be listened on right now. Checked before anything starts, so that a port held by another
 * process (often a previous run still alive) is reported with the setting to change, not as a raw EADDRINUSE stack
 * from deep inside a server, and never mistaken for our own service answering.
 */
export type PortState = 'free' | 'in-use' | 'not-permitted';

export function probePort(port: number, host = '127.0.0.1'): Promise<PortState> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('in-use');
      else if (error.code === 'EACCES') resolve('not-permitted');
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}
