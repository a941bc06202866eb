import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../build/renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs: the same build runs under app://station/ in Electron and under /app/ on the backend.
  base: './',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir,
    // outDir lies outside root, so Vite wants this spelled out before it deletes anything.
    emptyOutDir: true,
    // Inlined assets become data: URLs, which the CSP (img-src/font-src 'self') refuses.
    assetsInlineLimit: 0,
  },
});
