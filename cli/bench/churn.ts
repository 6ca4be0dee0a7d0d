/**
 * Workload `churn` (issue 3, item 9): one 4 GiB zone, all free as order-10 blocks; 10,000,000
 * steps of xorshift64 seeded with 1. Each step draws u: if u < 0.55 or nothing is live, draw
 * again for the order (0: 70%, 1: 10%, 2/3/4: 5% each, 9: 5%) and allocate a movable compound
 * block; otherwise draw an index and free that live block (swap-remove). A failed allocation
 * still counts as a step. Real engine functions: `allocPagesFlags` (`get_page_from_freelist`
 * with ALLOC_NO_WATERMARKS, i.e. no watermark checks) and `freePages`; full accounting on,
 * no trace subscribers, debugVm off. The machine's final state must pass `checkInvariants`.
 */
// Imported from the defining modules rather than engine/mm/index.ts, whose re-exports become
// getters under sucrase's require hook; the functions are the same.
import { allocPagesFlags } from '../../engine/mm/alloc'
import { ALLOC_CMA, ALLOC_NO_WATERMARKS } from '../../engine/mm/allocFlags'
import { createMachine } from '../../engine/mm/boot'
import { parseMachineConfig } from '../../engine/mm/config'
import { freePages } from '../../engine/mm/free'
import { GFP_HIGHUSER_MOVABLE, __GFP_COMP } from '../../engine/mm/gfp'
import { checkInvariants } from '../../engine/mm/invariants'
import { NO_PAGE } from '../../engine/mm/memmap'
import { Xorshift64 } from './xorshift64'

export interface ChurnResult {
  bench: string
  ops_per_s: number
  steps: number
  wall_s: number
  /** CPU time of this process during the loop; on a shared machine wall time includes waiting. */
  cpu_s: number
  ops_per_cpu_s: number
  allocs: number
  alloc_failures: number
  frees: number
  invariants: string
  pcp: boolean
  kernel_era: string
}

function drawOrder(u: number): number {
  if (u < 0.7) return 0
  if (u < 0.8) return 1
  if (u < 0.85) return 2
  if (u < 0.9) return 3
  if (u < 0.95) return 4
  return 9
}

export function runChurn(steps = 10_000_000, pcp = false, name = 'churn'): ChurnResult {
  const m = createMachine(
    parseMachineConfig({ zones: [{ type: 'Normal', sizeMiB: 4096 }], pcp, nrCpus: 1 }),
  )
  const rng = new Xorshift64(1)
  const livePfn = new Int32Array(1 << 21)
  const liveOrder = new Uint8Array(1 << 21)
  let live = 0
  let allocs = 0
  let failures = 0
  let frees = 0
  const gfp = GFP_HIGHUSER_MOVABLE | __GFP_COMP
  const flags = ALLOC_NO_WATERMARKS | ALLOC_CMA
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) {
    if (live === 0 || rng.nextDouble() < 0.55) {
      const order = drawOrder(rng.nextDouble())
      const pfn = allocPagesFlags(m, gfp, order, flags)
      if (pfn === NO_PAGE) {
        failures++
      } else {
        livePfn[live] = pfn
        liveOrder[live] = order
        live++
        allocs++
      }
    } else {
      const k = Math.floor(rng.nextDouble() * live)
      freePages(m, livePfn[k], liveOrder[k])
      live--
      livePfn[k] = livePfn[live]
      liveOrder[k] = liveOrder[live]
      frees++
    }
  }
  const wall = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(c0)
  const cpuS = (cpu.user + cpu.system) / 1e6
  const v = checkInvariants(m)
  return {
    bench: name,
    ops_per_s: Math.round(steps / wall),
    steps,
    wall_s: Number(wall.toFixed(3)),
    cpu_s: Number(cpuS.toFixed(3)),
    ops_per_cpu_s: Math.round(steps / cpuS),
    allocs,
    alloc_failures: failures,
    frees,
    invariants: v === null ? 'ok' : `${v.rule}: ${v.message}`,
    pcp,
    kernel_era: m.cfg.kernelEra,
  }
}
