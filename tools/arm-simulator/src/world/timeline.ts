/**
 * Per-app reachability timeline. Two inputs are combined: configuration probes (whether everything an app needs was
 * reachable at a simulated instant, judged from its integration) and restart windows (an app is unreachable while it
 * restarts, whatever its configuration). Only transitions are kept, so downtime is computed exactly from the edges
 * rather than sampled, and overlapping outages (a restart during a configuration gap) are never counted twice.
 */

export interface TimelineEntry {
  readonly at: number;
  readonly allReachable: boolean;
  readonly detail?: string;
}

/** [from, to) in simulated epoch ms. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export const RESTARTING_DETAIL = 'restarting';

export class ReachabilityTimeline {
  private readonly probes = new Map<string, TimelineEntry[]>();
  private readonly restarts = new Map<string, TimeWindow[]>();

  /** Records a configuration probe; ignored unless it changes the app's state (the first probe always counts). */
  record(appId: string, simTime: number, allReachable: boolean, detail?: string): void {
    const id = appId.toLowerCase();
    const list = this.probes.get(id) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && simTime < last.at) {
      throw new RangeError(`Timeline for '${appId}' is append-only: ${simTime} is before the last transition at ${last.at}.`);
    }
    if (last !== undefined && last.allReachable === allReachable) return;
    list.push({ at: simTime, allReachable, ...(detail === undefined ? {} : { detail }) });
    this.probes.set(id, list);
  }

  /** Simulated time of the app's last configuration transition, or -Infinity when none was recorded. */
  lastProbeAt(appId: string): number {
    const list = this.probes.get(appId.toLowerCase());
    return list?.[list.length - 1]?.at ?? -Infinity;
  }

  /** The app is down during [from, to) whatever its configuration; windows may overlap and arrive in any order. */
  recordRestart(appId: string, window: TimeWindow): void {
    if (!(window.to > window.from)) return;
    const id = appId.toLowerCase();
    const list = this.restarts.get(id) ?? [];
    list.push({ from: window.from, to: window.to });
    this.restarts.set(id, mergeWindows(list));
  }

  /** Every app with anything recorded. */
  apps(): string[] {
    return [...new Set([...this.probes.keys(), ...this.restarts.keys()])];
  }

  /**
   * Transitions of the combined state: up only when the last probe said reachable and no restart window covers the
   * instant. Before its first probe an app counts as reachable.
   */
  query(appId: string): readonly TimelineEntry[] {
    const id = appId.toLowerCase();
    const probes = this.probes.get(id) ?? [];
    const windows = this.restarts.get(id) ?? [];
    if (windows.length === 0) return probes;
    const instants = [...new Set([...probes.map((p) => p.at), ...windows.flatMap((w) => [w.from, w.to])])].sort((a, b) => a - b);
    const out: TimelineEntry[] = [];
    let probeIndex = -1;
    let windowIndex = 0;
    for (const at of instants) {
      while (probeIndex + 1 < probes.length && (probes[probeIndex + 1]?.at ?? Infinity) <= at) probeIndex++;
      while (windowIndex < windows.length && (windows[windowIndex]?.to ?? Infinity) <= at) windowIndex++;
      const window = windows[windowIndex];
      const restarting = window !== undefined && window.from <= at;
      const probe = probes[probeIndex];
      const configured = probe?.allReachable ?? true;
      const allReachable = configured && !restarting;
      const detail = restarting ? RESTARTING_DETAIL : configured ? undefined : probe?.detail;
      const last = out[out.length - 1];
      if (last !== undefined && last.allReachable === allReachable) continue;
      if (last === undefined && allReachable && probe === undefined) continue;
      out.push({ at, allReachable, ...(detail === undefined ? {} : { detail }) });
    }
    return out;
  }

  /**
   * Simulated milliseconds in [from, to) during which the app was unreachable. Before its first record an app counts
   * as reachable (nothing was observed failing); after its last, the last state holds.
   */
  downtime(appId: string, window: TimeWindow): number {
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
    this.probes.clear();
    this.restarts.clear();
  }
}

/** Sorted, disjoint windows covering the same instants (touching windows join). */
function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  const merged: TimeWindow[] = [];
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && w.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, w.to) };
    else merged.push(w);
  }
  return merged;
}

export function createTimeline(): ReachabilityTimeline {
  return new ReachabilityTimeline();
}
