import { defineConfig } from 'vite';

// A static site: relative asset URLs (base './') so dist/ works from any folder or sub-path.
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  preview: { host: '127.0.0.1' },
});
