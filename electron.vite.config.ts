import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * Three bundles (ADR: electron-shells):
 * - main: ESM for Electron's main process, with the embedding worker as its own entry so
 *   `new Worker(new URL('./embed-worker.js', import.meta.url))` finds it next to index.js.
 *   Every package.json dependency stays external (native modules cannot be bundled).
 * - preload: CommonJS `index.cjs`, fully bundled (zod included): a sandboxed preload can only
 *   require('electron') and cannot be an ES module.
 * - renderer: React, relative base so file:// loading works.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'embed-worker': resolve(__dirname, 'src/main/core/embed/embed-worker.ts'),
          'preview-worker': resolve(__dirname, 'src/main/core/ingest/preview-worker.ts'),
          'vector-store-worker': resolve(__dirname, 'src/main/core/vectors/embedded/store-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
