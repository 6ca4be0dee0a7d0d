// Prints one closing line, "N passed, N failed, N skipped", summing the JSON reports that
// `npm test` leaves in reports/ (vitest and Playwright). Exits non-zero if anything failed
// or if no test ran at all.
import { existsSync, readFileSync } from 'node:fs'

let passed = 0
let failed = 0
let skipped = 0

const vitestFile = 'reports/vitest.json'
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'))
  passed += v.numPassedTests ?? 0
  failed += v.numFailedTests ?? 0
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
}

const pwFile = 'reports/playwright.json'
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'))
  const s = p.stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  skipped += s.skipped ?? 0
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
