/** One answered request. */
export interface AuditEntry {
  /** Simulated epoch ms when the request was answered (it arrived `durationMs` real ms × the clock factor earlier). */
  readonly time: number;
  readonly principalId: string;
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | undefined;
  readonly status: number;
  /** Real milliseconds from arrival to answer (including simulated latency). */
  readonly durationMs: number;
  /** The ARM error code when the request failed. */
  readonly errorCode?: string;
  /** 'policy' when a request policy answered, 'reset'/'hang' for dropped requests. */
  readonly answeredBy?: 'handler' | 'policy' | 'reset' | 'hang';
  /**
   * For an applied-then-* fault: what the handler answered (and, for 2xx, applied) before the client got `status`
   * (504) or a reset (status 0).
   */
  readonly handlerStatus?: number;
}

export interface AuditFilter {
  readonly method?: string;
  /** Case-insensitive substring of the path. */
  readonly pathContains?: string;
  readonly principalId?: string;
  readonly status?: number;
  readonly since?: number;
  readonly limit?: number;
}

/** Every request the simulator answered, newest last, bounded so long runs do not grow without limit. */
export class AuditLog {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly capacity = 100_000) {}

  record(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  query(filter: AuditFilter = {}): AuditEntry[] {
    const pathNeedle = filter.pathContains?.toLowerCase();
    const matched = this.entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (pathNeedle === undefined || e.path.toLowerCase().includes(pathNeedle)) &&
        (filter.principalId === undefined || e.principalId === filter.principalId) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.since === undefined || e.time >= filter.since),
    );
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
