import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Functions from '@azure/functions';

/**
 * The @azure/functions module the hosted app itself uses. Two reasons not to `import { HttpRequest } from
 * '@azure/functions'` here: it is CommonJS and Node's ESM loader does not see its class exports as named exports;
 * and an app with its own copy must get requests built from, and have responses recognised by, its own classes
 * (`instanceof HttpResponse` fails across copies). Falls back to this host's copy.
 */
export type FunctionsLibrary = typeof Functions;

export function loadFunctionsLibrary(appDir: string): FunctionsLibrary {
  try {
    return createRequire(join(appDir, 'package.json'))('@azure/functions') as FunctionsLibrary;
  } catch {
    return createRequire(import.meta.url)('@azure/functions') as FunctionsLibrary;
  }
}
