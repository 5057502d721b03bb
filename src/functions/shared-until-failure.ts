/**
 * Something built once per process and shared by every call (the engine's dependencies, its activities, the state
 * tables), except that a failed build is forgotten: the next call builds again, so a setting fixed or storage back
 * heals the process without a restart.
 */
export function sharedUntilFailure<T>(build: () => Promise<T>): () => Promise<T> {
  let shared: Promise<T> | undefined;
  return () => {
    shared ??= build().catch((error: unknown) => {
      shared = undefined;
      throw error;
    });
    return shared;
  };
}
