/**
 * Small deterministic machines for unit tests and examples: one 64 MiB ZONE_NORMAL (16384
 * pages, 32 pageblocks, 16 order-10 blocks), one CPU, per-cpu lists off and debugVm on unless
 * overridden.
 */
import { createMachine } from './boot'
import { parseMachineConfig } from './config'
import { freePages } from './free'
import { type Machine } from './machine'

export function testMachine(over: Record<string, unknown> = {}): Machine {
  return createMachine(
    parseMachineConfig({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 1,
      pcp: false,
      debugVm: true,
      ...over,
    }),
  )
}

/** Free each page of `[pfn, pfn + nrPages)` at order 0 (pages from `boot: 'allocated'`). */
export function freeRange(m: Machine, pfn: number, nrPages: number): void {
  for (let p = pfn; p < pfn + nrPages; p++) freePages(m, p, 0)
}

/** Free blocks on `free_list[mt][order]` from head to tail. */
export function freeList(m: Machine, zoneId: number, order: number, mt: number): number[] {
  const out: number[] = []
  for (let p = m.faHead[(zoneId * m.nrOrders + order) * 6 + mt]; p >= 0; p = m.pg[(p << 2) + 2])
    out.push(p)
  return out
}
