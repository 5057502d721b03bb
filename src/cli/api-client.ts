/**
 * The CLI's only way to the service: its HTTP API. Every failure becomes a CliError whose exit code says what kind
 * of failure it was (unreachable, key, not found, conflict, refused, service error), with the service's own
 * problem+json text.
 */
import { CliError, EXIT, type ExitCode } from './exit-codes.js';

export interface ApiClientOptions {
  /** The functions' base URL, e.g. http://localhost:7071/api. */
  readonly baseUrl: string;
  /** The function key, sent as x-functions-key; none when undefined. */
  readonly key?: string;
  /** Per request. */
  readonly timeoutInMs?: number;
}

/** RFC 9457 problem details as the service answers them (src/http/problem.ts). */
export interface Problem {
  readonly status?: number;
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

export interface Page<T> {
  readonly value: readonly T[];
  readonly continuationToken: string | null;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.unauthorized;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status >= 500) return EXIT.serviceError;
  return EXIT.refused;
}

function describeProblem(method: string, url: URL, status: number, problem: Problem | undefined): string {
  if (status === 401 || status === 403) {
    return `${method} ${url.pathname} answered ${status}: the function key is missing or wrong. Pass it with --key or MIGRATOR_API_KEY.`;
  }
  if (problem?.detail === undefined) return `${method} ${url.pathname} answered ${status}${problem?.title ? ` ${problem.title}` : ''}.`;
  const fields = (problem.errors ?? []).map((e) => `\n  ${e.path || '/'}: ${e.message}`).join('');
  return `${problem.code ?? status}: ${problem.detail}${fields}`;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #key: string | undefined;
  readonly #timeoutInMs: number;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#key = options.key;
    this.#timeoutInMs = options.timeoutInMs ?? 60_000;
  }

  /** `pathAndQuery` is relative to the base URL ('/migrations?top=5'); a nextLink (absolute) is also accepted. */
  async request<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const url = new URL(/^https?:\/\//.test(pathAndQuery) ? pathAndQuery : `${this.baseUrl}${pathAndQuery}`);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.#key === undefined ? {} : { 'x-functions-key': this.#key }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutInMs),
      });
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
      throw new CliError(EXIT.unreachable, `Cannot reach the API at ${this.baseUrl} (${cause}). Is it running (npm start)? Set the URL with --api-url or MIGRATOR_API_URL.`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (response.ok) throw new CliError(EXIT.unexpected, `${method} ${url.pathname} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : undefined;
      throw new CliError(exitCodeForStatus(response.status), describeProblem(method, url, response.status, problem), problem);
    }
    return { status: response.status, body: parsed as T };
  }

  async get<T>(pathAndQuery: string): Promise<T> {
    return (await this.request<T>('GET', pathAndQuery)).body;
  }

  async post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.request<T>('POST', path, body, headers)).body;
  }

  /** Every item of a paged list, following continuation tokens. */
  async all<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries({ ...query, continuationToken: token })) if (value !== undefined) params.set(name, value);
      const page = await this.get<Page<T>>(`${path}?${params.toString()}`);
      items.push(...page.value);
      token = page.continuationToken ?? undefined;
    } while (token !== undefined);
    return items;
  }
}
