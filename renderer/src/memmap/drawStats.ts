/**
 * Draw timings of the memory map, published on `window.__mmwbMemmapStats` so a browser
 * benchmark (scripts/bench-browser.mjs) can read what each canvas update cost without
 * instrumenting the page from outside. Bounded: only the latest `MAX_SAMPLES` are kept.
 */

export interface MemmapDrawStats {
  /** Canvas updates since the page loaded (or since the benchmark reset the counters). */
  draws: number
  /** Milliseconds of each recent update (pixels, putImageData and labels), oldest first. */
  drawMs: number[]
  /** `performance.now()` at the end of each recent update, for draws per second. */
  drawAt: number[]
}

const MAX_SAMPLES = 4096

declare global {
  interface Window {
    __mmwbMemmapStats?: MemmapDrawStats
  }
}

/** Records one canvas update that took `ms` and ended at `endMs` (performance.now()). */
export function recordDraw(ms: number, endMs: number): void {
  if (typeof window === 'undefined') return
  let s = window.__mmwbMemmapStats
  if (!s) {
    s = { draws: 0, drawMs: [], drawAt: [] }
    window.__mmwbMemmapStats = s
  }
  s.draws++
  s.drawMs.push(ms)
  s.drawAt.push(endMs)
  if (s.drawMs.length > MAX_SAMPLES) {
    s.drawMs.splice(0, s.drawMs.length - MAX_SAMPLES)
    s.drawAt.splice(0, s.drawAt.length - MAX_SAMPLES)
  }
}
