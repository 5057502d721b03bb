/**
 * Per-app reachability timeline. Verification probes record whether everything an app needs was reachable at a
 * simulated instant; only transitions are kept, so downtime is computed exactly from the edges rather than sampled.
 */

export interface TimelineEntry {
  readonly at: number;
  readonly allReachable: boolean;
  readonly detail?: string;
}

export class ReachabilityTimeline {
  private readonly entries = new Map<string, TimelineEntry[]>();

  /** Records a probe; ignored unless it changes the app's state (the first probe always counts). */
  record(appId: string, simTime: number, allReachable: boolean, detail?: string): void {
    const id = appId.toLowerCase();
    const list = this.entries.get(id) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && simTime < last.at) {
      throw new RangeError(`Timeline for '${appId}' is append-only: ${simTime} is before the last transition at ${last.at}.`);
    }
    if (last !== undefined && last.allReachable === allReachable) return;
    list.push({ at: simTime, allReachable, ...(detail === undefined ? {} : { detail }) });
    this.entries.set(id, list);
  }

  query(appId: string): readonly TimelineEntry[] {
    return this.entries.get(appId.toLowerCase()) ?? [];
  }

  /**
   * Simulated milliseconds in [from, to) during which the app was recorded unreachable. Before its first record an
   * app counts as reachable (nothing was observed failing); after its last, the last state holds.
   */
  downtime(appId: string, window: { readonly from: number; readonly to: number }): number {
    const list = this.query(appId);
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (entry === undefined || entry.allReachable) continue;
      const start = Math.max(entry.at, window.from);
      const end = Math.min(list[i + 1]?.at ?? Infinity, window.to);
      if (end > start) total += end - start;
    }
    return total;
  }

  clear(): void {
    this.entries.clear();
  }
}

export function createTimeline(): ReachabilityTimeline {
  return new ReachabilityTimeline();
}
