/** Types of compiled-freshness.mjs, for the TypeScript that imports it (test/support/compiled.ts). */
export declare function compiledTrees(root: string): { source: string; output: string }[];
export declare function staleCompiledFiles(root: string): string[];
