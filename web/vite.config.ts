// Vite build of the web lab: `npm run build:lab` writes the static site to dist/lab/ (relative
// asset paths, so it works from any static server or GitHub Pages). The wasm kernels are bundled
// as assets from `new URL('./esdlab-kernels*.wasm', import.meta.url)` in the wasm backend.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../dist/lab', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
