// Builds the shared backend suite's browser page (web/test/suite/) into dist/lab-suite/, with
// node:assert/strict aliased to a small shim; only the lab's browser test uses it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { 'node:assert/strict': fileURLToPath(new URL('./assertShim.ts', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../../../dist/lab-suite', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
