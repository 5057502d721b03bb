/**
 * Webhook URLs: absolute http(s) URLs whose query string (and any user info) may carry a secret, as many receivers'
 * URLs do (`?sig=…`, `?code=…`). Checked once at the boundary; shown anywhere only through `redactWebhookUrl`.
 */

/** Why a webhook URL is refused, or undefined when it is fine. */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.hash !== '') return 'must not have a #fragment';
  // The URL parser would quietly drop or escape them; a URL that needs them is not one a person typed.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'must not contain control characters';
  return undefined;
}

/** The URL as it may be shown or logged: scheme, host, port and path; user info and query replaced by a marker. */
export function redactWebhookUrl(value: string): string {
  try {
    const url = new URL(value);
    const user = url.username !== '' || url.password !== '' ? 'redacted@' : '';
    return `${url.protocol}//${user}${url.host}${url.pathname}${url.search === '' ? '' : '?redacted'}`;
  } catch {
    return 'redacted';
  }
}
