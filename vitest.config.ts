import { defineConfig } from 'vitest/config';

/**
 * Tests import the stand-in packages (@vnet-migrator/arm-simulator/…, @vnet-migrator/functions-localhost/…) by
 * name; this condition of their package.json exports resolves those imports to the TypeScript sources, as tsconfig's
 * customConditions does for the typecheck. Processes the tests spawn (node, npm start) get their dist/.
 * Vitest also hands these conditions to Node in its workers (--conditions), so the list is Vite's default server
 * conditions less 'module': with it, Node would load packages' bundler-only ESM builds (@opentelemetry/api's
 * extensionless imports fail).
 */
const conditions = ['@vnet-migrator/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'tools/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.local/vitest-report.json' },
  },
});
