import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // import.meta.dirname (not node:path/url): src/renderer is lint-checked as browser code, and Vite
  // provides the value when it loads this file.
  root: import.meta.dirname,
  // Relative asset URLs: the same build runs under app://station/ in Electron and under /app/ on the backend.
  base: './',
  plugins: [react()],
  publicDir: false,
  build: {
    // Relative to root, i.e. <repo>/build/renderer, whatever the working directory.
    outDir: '../../build/renderer',
    // outDir lies outside root, so Vite wants this spelled out before it deletes anything.
    emptyOutDir: true,
    // Inlined assets become data: URLs, which the CSP (img-src/font-src 'self') refuses.
    assetsInlineLimit: 0,
  },
});
