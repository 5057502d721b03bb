/** The longest excerpt of a non-ARM error body a message quotes: enough for a gateway's title, never a whole page. */
const EXCERPT_CHARACTERS = 200;

/**
 * Words for an error answer whose body holds no ARM error (`{error: {code, message}}`): an HTML page from a gateway
 * or proxy between the service and ARM, or nothing at all. The SDK says only "Unexpected status code" then; the
 * person reading the failure needs the status and what the body did say.
 */
export function describeUnparsedAnswer(status: number, bodyText: string | null | undefined): string {
  const text = (bodyText ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const excerpt = text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS)}…` : text;
  return excerpt === ''
    ? `Azure Resource Manager answered HTTP ${status} with no error in the body`
    : `Azure Resource Manager answered HTTP ${status} with no ARM error in the body, which said: "${excerpt}"`;
}
