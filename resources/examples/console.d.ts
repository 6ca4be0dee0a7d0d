/** The sandbox's `console` (engine-host maps it to the run log); workloads have no other globals. */
declare const console: {
  log(...args: unknown[]): void
  info(...args: unknown[]): void
  debug(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}
