import type { HttpRequest } from '@azure/functions';

/** Absolute links answered to callers, built from the URL they called (the host name and port they can reach). */
export function migrationsUriOf(request: HttpRequest): string {
  return `${new URL(request.url).origin}/api/migrations`;
}

export function statusUriOf(request: HttpRequest, id: string): string {
  return `${migrationsUriOf(request)}/${encodeURIComponent(id)}`;
}
