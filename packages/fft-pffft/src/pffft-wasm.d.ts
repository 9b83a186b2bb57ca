// Types for the Emscripten module of @echogarden/pffft-wasm (the package ships none). Only what we use.
declare module '@echogarden/pffft-wasm/simd' {
  export interface PffftWasmModule {
    /** View of the whole WebAssembly memory; replaced by a new view when the memory grows. */
    HEAPF32: Float32Array;
    _pffft_simd_size(): number;
    /** transform: 0 real, 1 complex. Returns 0 when N does not factor into 2, 3, 5 (aborts the module when N % 32 ≠ 0). */
    _pffft_new_setup(n: number, transform: number): number;
    _pffft_destroy_setup(setup: number): void;
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_aligned_free(ptr: number): void;
    /** direction: 0 forward, 1 backward (unscaled). Pointers are byte offsets of 16-byte aligned float buffers. */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  }
  const PFFFT: (moduleArg?: Record<string, unknown>) => Promise<PffftWasmModule>;
  export default PFFFT;
}
