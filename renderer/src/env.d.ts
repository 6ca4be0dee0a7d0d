/// <reference types="vite/client" />
import type { MmwbPreloadApi } from '../../protocol/preloadApi'

declare global {
  interface Window {
    /** The preload API; present only in the desktop app (web mode has none). */
    mmwb?: MmwbPreloadApi
  }
}

export {}
