import { DurableHostError } from './contract.js';
import { MAX_VALUE_LENGTH } from './chunked-text.js';
import { toJsonText } from './history.js';

/**
 * A client-supplied value (orchestration input, event data) as JSON text, refused up front with 400 when it is
 * larger than one stored value may be, so that it never reaches an episode that could not be committed.
 */
export function checkedJson(value: unknown, what: string): string {
  const text = toJsonText(value);
  if (text.length > MAX_VALUE_LENGTH) {
    throw new DurableHostError('InvalidRequest', 400, `${what} is ${text.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}. Pass a reference instead.`);
  }
  return text;
}
