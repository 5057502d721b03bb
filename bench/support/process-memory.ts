/**
 * Memory of another process (the local host the proof suites run as a child), read from Linux's /proc: the kernel
 * keeps the peak resident set (VmHWM) itself, so no sampling can miss a spike. Undefined where /proc is missing.
 */
import { readFileSync } from 'node:fs';

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Peak resident set size in bytes since the process started. */
export const peakRssBytes = (pid: number): number | undefined => statusField(pid, 'VmHWM');

/** Resident set size in bytes now. */
export const rssBytes = (pid: number): number | undefined => statusField(pid, 'VmRSS');

export const megabytes = (bytes: number | undefined): number => (bytes === undefined ? Number.NaN : Math.round(bytes / 1024 / 1024));

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Seconds the process's threads were runnable but waited for a CPU (/proc/<pid>/schedstat, second field, main thread
 * only): on a shared machine this tells a starved process from an idle one.
 */
export function cpuWaitSeconds(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return undefined;
  }
}
