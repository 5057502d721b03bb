/**
 * Checks real responses against docs/openapi.json with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses): the
 * operation must declare the status, the content type must be the declared one, and the body must validate
 * against its schema. Returns the problems as text, empty when the response conforms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const repo = path.resolve(import.meta.dirname, '../..');

interface Operation {
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: object }> }>;
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: object;
}

export const OPENAPI: Document = JSON.parse(readFileSync(path.join(repo, 'docs/openapi.json'), 'utf8')) as Document;

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document is added as one schema so that response schemas are reached by JSON pointer and their
// '#/components/schemas/...' references resolve against it.
ajv.addSchema({ ...OPENAPI, $id: 'openapi.json' });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

export interface ObservedResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

export function responseProblems(method: string, template: string, response: ObservedResponse): string[] {
  const operation = OPENAPI.paths[template]?.[method.toLowerCase()];
  if (operation === undefined) return [`${method} ${template} is not in the document`];
  const declared = operation.responses[String(response.status)];
  if (declared === undefined) return [`${method} ${template} does not declare ${response.status}`];
  const [mediaType, media] = Object.entries(declared.content ?? {})[0] ?? [];
  if (mediaType === undefined || media === undefined) return response.body === undefined ? [] : [`${response.status} declares no body`];
  const actualType = (response.contentType ?? '').split(';')[0]?.trim();
  if (actualType !== mediaType) return [`content-type '${response.contentType}' is not '${mediaType}'`];
  const pointer = ['paths', template, method.toLowerCase(), 'responses', String(response.status), 'content', mediaType, 'schema']
    .map((segment) => encodeURIComponent(escape(segment)))
    .join('/');
  let validate = compiled.get(pointer);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `openapi.json#/${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate(response.body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
