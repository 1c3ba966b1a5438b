// Types of scripts/bundleOptions.mjs for the TypeScript that imports it.
import type { BuildOptions, Plugin } from 'esbuild';

export declare function baseOptions(production: boolean): BuildOptions;
export declare const NODE_BUNDLE: BuildOptions;
export declare function hostOptions(production: boolean): BuildOptions;
export declare const LAZY_ENTRIES: Readonly<Record<string, string>>;
export declare function lazyEntries(root: string): Plugin;
