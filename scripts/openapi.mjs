// Rewrites docs/openapi.json from the compiled zod schemas and paths (src/http/openapi-document.ts).
// test/http/openapi-document.test.ts fails while the committed file differs; run `npm run openapi` to update it.
import { writeFileSync } from 'node:fs';
import { openApiText } from '../dist/src/http/openapi-document.js';

writeFileSync(new URL('../docs/openapi.json', import.meta.url), openApiText());
console.log('docs/openapi.json written');
