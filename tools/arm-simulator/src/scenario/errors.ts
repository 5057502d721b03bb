/**
 * Scenario loading failures. The simulator does not import the product's error model (it is an independent check),
 * so it carries the same three facts itself: a stable code, an actionable message, whether retrying helps.
 */
export class ScenarioError extends Error {
  constructor(
    readonly code: 'ScenarioInvalid' | 'ScenarioNotFound' | 'ScenarioUnreadable',
    message: string,
    readonly retryable = false,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}
