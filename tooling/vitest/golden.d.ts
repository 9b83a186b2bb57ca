/** Folder holding the reference's golden JSON files (DSTFT_GOLDEN_DIR, or shared/golden above the repository). */
export declare function goldenDir(): string;
/** Parses one golden file. */
export declare function readGolden(name: string): unknown;
