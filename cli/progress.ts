/**
 * Progress on stderr for long runs: nothing for the first second (short runs stay quiet),
 * then a self-overwriting line on a terminal, or a plain line every few seconds otherwise.
 */
const QUIET_MS = 1000
const PLAIN_EVERY_MS = 3000

export class ProgressLine {
  private readonly startMs = Date.now()
  private lastPlainMs = 0
  private shown = false

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(fraction: number, simTimeNs: number): void {
    const now = Date.now()
    if (now - this.startMs < QUIET_MS) return
    const pct = fraction >= 0 ? `${Math.round(fraction * 100)}%` : 'running'
    const text = `${this.label}: ${pct}, simulated ${(simTimeNs / 1e6).toFixed(3)} ms, wall ${((now - this.startMs) / 1000).toFixed(1)} s`
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${text}`)
      this.shown = true
    } else if (now - this.lastPlainMs >= PLAIN_EVERY_MS) {
      this.lastPlainMs = now
      this.stream.write(text + '\n')
    }
  }

  /** Removes the overwriting line before other output. */
  clear(): void {
    if (this.shown) {
      this.stream.write('\r\x1b[K')
      this.shown = false
    }
  }
}
