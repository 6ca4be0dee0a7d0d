/**
 * The few C `printf` conversions the kernel's /proc and debugfs printers use, reproduced exactly
 * (lib/vsprintf.c semantics): right-justified `%Ns`/`%Nd`, left-justified `%-Ns`, and `%0Nd`
 * whose zero padding goes after the sign (so `%03d` of -5 is "-05" and of -500 is "-500").
 */

/** `%Ns` (width > 0) or `%-Ns` (width < 0); never truncates, like C. */
export function cStr(s: string, width: number): string {
  return width < 0 ? s.padEnd(-width) : s.padStart(width)
}

/** `%Nd` / `%Nlu` with space padding. */
export function cInt(n: number, width: number): string {
  return String(n).padStart(width)
}

/** `%0Nd`: zero padding after the sign, total width N including the sign. */
export function cIntZero(n: number, width: number): string {
  const digits = String(Math.abs(n))
  const sign = n < 0 ? '-' : ''
  return sign + digits.padStart(width - sign.length, '0')
}

/**
 * C integer division of two ints (truncates toward zero), as `index / 1000` in vmstat.c. The
 * matching `index % 1000` is JS `%`, whose sign also follows the dividend.
 */
export function cDiv(a: number, b: number): number {
  return Math.trunc(a / b)
}

/** `"Node %d, zone %8s "`, the per-zone prefix shared by buddyinfo, extfrag and block counts. */
export function zonePrefix(nid: number, zoneName: string): string {
  return `Node ${nid}, zone ${cStr(zoneName, 8)} `
}

/** Splits text into lines, dropping the empty string after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n')
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** A parse error that names the file, the 1-based line number and the offending line. */
export class ProcParseError extends Error {
  constructor(file: string, lineNo: number, line: string, why: string) {
    super(`${file}: line ${lineNo}: ${why}: ${JSON.stringify(line)}`)
    this.name = 'ProcParseError'
  }
}

/** Parses a decimal unsigned count; rejects anything that is not a safe integer. */
export function parseCount(token: string): number | undefined {
  if (!/^\d+$/.test(token)) return undefined
  const n = Number(token)
  return Number.isSafeInteger(n) ? n : undefined
}
