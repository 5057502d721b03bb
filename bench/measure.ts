/**
 * Measurement helpers shared by the bench modules: wall time of one operation, and request throughput of a few
 * concurrent clients each running its calls back to back (what a keep-alive client pool does). Not a bench itself
 * (no run()), so bench/run.ts skips it.
 */

export interface Throughput {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs `fn` once and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

/**
 * `clients` loops share `total` calls (call i gets its index); every call must resolve, so a bench never reports the
 * speed of failures. A short warm-up (TLS handshakes, JIT) runs first and is not counted.
 */
export async function throughput(clients: number, total: number, call: (i: number) => Promise<void>, warmUp = Math.min(200, total)): Promise<Throughput> {
  for (let i = 0; i < warmUp; i++) await call(i);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < total; i = next++) {
      const t = performance.now();
      await call(i);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: total, seconds, perSecond: total / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

export const fixed = (n: number, digits = 2): string => n.toFixed(digits);
export const whole = (n: number): string => Math.round(n).toLocaleString('en-US');
