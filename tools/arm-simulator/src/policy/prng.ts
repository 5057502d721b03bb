/**
 * A small seeded pseudo-random generator (mulberry32). The simulator's probabilistic behaviour (fault probability,
 * latency jitter, generated fleets) must replay identically for the same seed, which Math.random cannot give.
 */
export type RandomSource = () => number;

/** Returns numbers in [0, 1), deterministic per seed. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed from a string, so seeds can be names ('demo', a rule id) as well as numbers. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
