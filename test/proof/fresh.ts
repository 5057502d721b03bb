import { requireFreshBuild } from '../support/compiled.js';

/**
 * The proofs run the compiled app, so dist/ must be fresh (npm test builds first). PROOF_STALE_BUILD_OK=1 lets an
 * engineer run them against a build taken moments ago while others keep editing unrelated src/ files.
 */
export function requireBuild(): void {
  if (process.env['PROOF_STALE_BUILD_OK'] !== '1') requireFreshBuild();
}
