/** Folder holding the reference's golden JSON files: tooling/vitest/golden/ in this repository (see its README.md). */
export declare function goldenDir(): string;
/** Parses one golden file of that folder, e.g. `readGolden('golden-constant-window.json')`. */
export declare function readGolden(name: string): unknown;
