import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Web mode: the same renderer as the desktop app, built for a plain browser into out/web.
// engine-host runs in a module Web Worker (engine-host/transports/worker.ts) that the renderer
// references by URL. Relative asset URLs so the build can be served from any path.
const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(here, '../out/web'),
    emptyOutDir: true,
    minify: true,
    // Monaco's TypeScript worker alone is ~7 MB; these are big by nature, not by accident.
    chunkSizeWarningLimit: 16000,
    rolldownOptions: { input: { index: resolve(here, 'index.html') } },
  },
})
