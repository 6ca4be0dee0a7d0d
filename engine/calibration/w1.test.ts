/**
 * W1 calibration (issue 5 item 10): the simulator, started from the guest's imported `start`
 * state, must land near what Debian's 6.1 kernel measured (docs/calibration.md has the table and
 * the reasons for each difference).
 *
 * Tolerances, and why (the bar is 15%; these are tighter where the model should match):
 * - compact_free_scanned, compact_isolated, pgmigrate_success, compact_migrate_scanned: 5% with
 *   the guest's layout (measured: 0.2–2.3%). They follow from the free pages per pageblock the
 *   pattern leaves and from where the scanners meet, which the model computes with the kernel's
 *   rules. The known residue: the guest also migrated 750 pages of its own (707 shmem pages of
 *   the initramfs and some anon) that the import makes reserved, not movable.
 * - With the importer's own layout (every reserved pfn below the free memory), the migrate
 *   scanner walks 8 more pageblocks of reserved pfns one by one: 10% for it (measured +5–6%).
 * - hp_before: within 3 pages (where the fill ends decides whether one more pageblock stays
 *   free, and the guest's per-cpu list can hold an order-9 page out of zone_watermark_fast's
 *   sight); hp_after: within 3%.
 * - The compact_memory trace: same zones, same starting positions in DMA32, `complete`, and the
 *   scanners meeting within 3 pageblocks of the guest's (12 with the importer's layout).
 */
import { describe, expect, it } from 'vitest'
import { formatW1Trace, runW1, type W1Result } from './w1'
import { formatW1Comparison, w1Rows } from './w1Table'
import { W1_KERNEL_CASES, type W1KernelCase } from './w1Kernel'

const rel = (sim: number, kernel: number) => Math.abs(sim - kernel) / kernel

function meetPfn(lines: readonly string[]): number {
  const end = lines[lines.length - 1]
  return parseInt(/migrate_pfn=(0x[0-9a-f]+)/.exec(end)![1], 16)
}

describe.each(W1_KERNEL_CASES.map((kc) => [`P=${kc.period} K=${kc.keep}`, kc] as const))(
  'W1 %s against Debian 6.1',
  (_name, kc: W1KernelCase) => {
    let r: W1Result
    let imp: W1Result
    it('runs the workload as the guest did', () => {
      r = runW1({ period: kc.period, keep: kc.keep })
      imp = runW1({ period: kc.period, keep: kc.keep, layout: 'importer' })
      // The import reproduces MemFree (the guest's differs by its per-cpu pages); MemFree − 64 MiB,
      // rounded down to 2 MiB, is the guest's 221184 pages.
      expect(r.memFreeStartKb).toBeGreaterThanOrEqual(kc.memFreeStartKb - 16)
      expect(r.memFreeStartKb).toBeLessThanOrEqual(kc.memFreeStartKb + 16)
      expect(r.allocPages).toBe(kc.allocPages)
      expect(r.keptPages).toBe(kc.keptPages)
      // One PTE page per 2 MiB of the mapping (the guest's nr_page_table_pages rose by 431–432).
      expect(r.pageTablePages).toBe(432)
      // The fill's first whole pageblock is the guest's (52), and its last is one below.
      const full = (a: number[]) => [a.indexOf(512), a.lastIndexOf(512)]
      expect(full(r.pageblockFilled)[0]).toBe(full(kc.pageblockFilled)[0])
      expect(full(kc.pageblockFilled)[1] - full(r.pageblockFilled)[1]).toBe(1)
    })

    it('compact_memory scans, isolates and migrates as the kernel did', () => {
      expect(rel(r.compactFreeScanned, kc.compactFreeScanned)).toBeLessThan(0.05)
      expect(rel(r.compactIsolated, kc.compactIsolated)).toBeLessThan(0.05)
      expect(rel(r.pgmigrateSuccess, kc.pgmigrateSuccess)).toBeLessThan(0.05)
      expect(rel(r.compactMigrateScanned, kc.compactMigrateScanned)).toBeLessThan(0.05)
      // The importer's layout changes only what the scanners walk through below and above.
      expect(rel(imp.compactMigrateScanned, kc.compactMigrateScanned)).toBeLessThan(0.1)
      expect(rel(imp.compactFreeScanned, kc.compactFreeScanned)).toBeLessThan(0.05)
      expect(imp.pgmigrateSuccess).toBe(r.pgmigrateSuccess)
      // Migration always has destinations: at most the batch cut off where the scanners meet fails.
      expect(r.pgmigrateFail).toBeLessThanOrEqual(1)
    })

    it('huge pages before and after compaction', () => {
      expect(Math.abs(r.hpBefore - kc.hpBefore)).toBeLessThanOrEqual(3)
      expect(rel(r.hpAfter, kc.hpAfter)).toBeLessThan(0.03)
      // DMA gives the same 5 both times: its 7 free pageblocks less its lowmem reserve.
      expect(r.hpBeforeByZone[0]).toBe(kc.hpBeforeDma)
      expect(r.hpAfterByZone[0]).toBe(kc.hpAfterDma)
    })

    it("the comparison table lists every figure within 15% (the issue's bar)", () => {
      const rows = w1Rows(r, kc)
      expect(rows.map((x) => x.figure)).toEqual([
        'hp_before',
        'hp_after',
        'compact_migrate_scanned',
        'compact_free_scanned',
        'pgmigrate_success',
        'compact_isolated',
      ])
      for (const x of rows) expect(Math.abs(x.diff)).toBeLessThan(0.15)
      const text = formatW1Comparison(r, kc)
      expect(text).toContain(
        `| compact_free_scanned | ${kc.compactFreeScanned} | ${r.compactFreeScanned} |`,
      )
      expect(text).toContain(kc.ftrace[3])
    })

    it('mm_compaction_begin/end match the kernel trace', () => {
      const lines = r.trace.map(formatW1Trace)
      expect(lines).toHaveLength(kc.ftrace.length)
      // DMA32's begin line is identical; DMA's differs only where engine zones are pageblock aligned.
      expect(lines[2]).toBe(kc.ftrace[2].replace('zone_end=0x3ffe0', 'zone_end=0x40000'))
      expect(lines[1]).toMatch(/migrate_pfn=0xe00 free_pfn=0xe00 .* status=complete$/)
      expect(lines[3]).toMatch(/status=complete$/)
      const meetDelta = (meetPfn(lines) - meetPfn(kc.ftrace)) / 512
      expect(Math.abs(meetDelta)).toBeLessThanOrEqual(3)
      const impDelta = (meetPfn(imp.trace.map(formatW1Trace)) - meetPfn(kc.ftrace)) / 512
      expect(Math.abs(impDelta)).toBeLessThanOrEqual(12)
    })
  },
)

it('W1 is deterministic: two runs give identical results', () => {
  const a = runW1({ period: 8, keep: 1 })
  const b = runW1({ period: 8, keep: 1 })
  expect(b).toEqual(a)
})
