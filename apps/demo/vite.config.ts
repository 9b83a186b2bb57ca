import { defineConfig } from 'vite';

// A static site: relative asset URLs (base './') so dist/ works from any folder or sub-path.
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  // The worker imports @dstft/fft-pffft only when pffft is chosen; pre-bundle its wasm loader at dev-server start
  // so that first choice does not make `vite dev` discover a new dependency and reload the page. (The build needs
  // nothing: the loader's `new URL('pffft.wasm', import.meta.url)` becomes an emitted asset.)
  optimizeDeps: { include: ['@dstft/fft-pffft > @echogarden/pffft-wasm/simd'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  preview: { host: '127.0.0.1' },
});
