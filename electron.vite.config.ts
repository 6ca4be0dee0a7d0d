import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Top-level main/ preload/ renderer/ (not src/*): every entry is explicit.
// Outputs: out/main/index.js (Electron main), out/main/engineHost.js (utility process),
// out/preload/index.js, out/renderer/index.html.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: ['sucrase'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          engineHost: resolve(__dirname, 'engine-host/transports/utilityProcess.ts'),
        },
      },
    },
  },
  preload: {
    build: { rolldownOptions: { input: { index: resolve(__dirname, 'preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      chunkSizeWarningLimit: 16000,
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
    worker: { format: 'es' },
    plugins: [react()],
  },
})
