/**
 * One swap device (mm/swapfile.c) and the swap cache membership of folios. Slots are grouped
 * in clusters of SWAPFILE_CLUSTER (512): order-0 allocations fill the current cluster and take
 * a free cluster when it is full, scanning for any free slot only when no cluster is free
 * (`scan_swap_map_try_ssd_cluster`); a large folio needs contiguous slots in one cluster
 * (`swap_alloc_cluster` [≤6.9]: a wholly free cluster for a PMD folio; [6.10+] a naturally
 * aligned free run for any order). When none exists, `folio_alloc_swap` fails and reclaim splits
 * the folio (seed 002).
 */
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'
import { SWAPFILE_CLUSTER, type ReclaimVariants } from './types'

export interface SwapConfig {
  /** Size of the swap device in pages (0: no swap). */
  nrPages: number
  /**
   * `SWP_SYNCHRONOUS_IO` (zram, pmem): swap writes complete inside `pageout`, so the folio is
   * freed in the same pass. Otherwise writes complete after the cost model's latency.
   */
  synchronousIo?: boolean
}

/** The swap device (plain data: it is machine state, see engine/mm/machineState.ts). */
export interface SwapDevice {
  readonly nrSlots: number
  readonly synchronousIo: boolean
  /** Per slot: 1 when in use (`swap_map[]` non-zero). */
  readonly map: Uint8Array
  /** Per cluster: used slots. */
  readonly clusterUsed: Uint16Array
  nrFree: number
  /** The per-cpu cluster order-0 allocations fill (`percpu_cluster`), -1 none. */
  curCluster: number
  curNext: number
  /** Where the next free-cluster search starts. */
  clusterCursor: number
}

export function createSwapDevice(cfg: SwapConfig): SwapDevice {
  const n = Math.max(0, Math.floor(cfg.nrPages / SWAPFILE_CLUSTER) * SWAPFILE_CLUSTER)
  return {
    nrSlots: n,
    synchronousIo: cfg.synchronousIo === true,
    map: new Uint8Array(n),
    clusterUsed: new Uint16Array(n / SWAPFILE_CLUSTER),
    nrFree: n,
    curCluster: -1,
    curNext: 0,
    clusterCursor: 0,
  }
}

interface SwapState {
  dev: SwapDevice
  /** Per pfn (folio head): swap entry (first slot) while in the swap cache, -1 otherwise. */
  swapcache: Int32Array
}

/** `swapon`: give the machine a swap device of `nrPages` (rounded down to whole clusters). */
export function swapon(m: Machine, cfg: SwapConfig): SwapDevice {
  const st = swapState(m)
  st.dev = createSwapDevice(cfg)
  return st.dev
}

const swapState = defineMachineState('reclaim.swap', (m: Machine): SwapState => ({
  dev: createSwapDevice({ nrPages: 0 }),
  swapcache: new Int32Array(m.endPfn).fill(-1),
}))

export function swapDevice(m: Machine): SwapDevice {
  return swapState(m).dev
}

/** `get_nr_swap_pages()`. */
export function nrSwapPages(m: Machine): number {
  return swapState(m).dev.nrFree
}

/** `folio_test_swapcache()`: the first slot, or -1. */
export function folioSwapEntry(m: Machine, head: number): number {
  return swapState(m).swapcache[head]
}

export function setFolioSwapEntry(m: Machine, head: number, slot: number): void {
  swapState(m).swapcache[head] = slot
}

function take(dev: SwapDevice, slot: number, nr: number): void {
  for (let i = 0; i < nr; i++) dev.map[slot + i] = 1
  dev.clusterUsed[Math.floor(slot / SWAPFILE_CLUSTER)] += nr
  dev.nrFree -= nr
}

function allocOne(dev: SwapDevice): number {
  const nc = dev.clusterUsed.length
  if (dev.curCluster >= 0) {
    const base = dev.curCluster * SWAPFILE_CLUSTER
    for (let i = dev.curNext; i < SWAPFILE_CLUSTER; i++) {
      if (dev.map[base + i] === 0) {
        dev.curNext = i + 1
        return base + i
      }
    }
    dev.curCluster = -1
  }
  for (let k = 0; k < nc; k++) {
    const c = (dev.clusterCursor + k) % nc
    if (dev.clusterUsed[c] === 0) {
      dev.clusterCursor = (c + 1) % nc
      dev.curCluster = c
      dev.curNext = 1
      return c * SWAPFILE_CLUSTER
    }
  }
  for (let s = 0; s < dev.nrSlots; s++) if (dev.map[s] === 0) return s
  return -1
}

function allocRun(dev: SwapDevice, nr: number, wholeCluster: boolean): number {
  const nc = dev.clusterUsed.length
  for (let k = 0; k < nc; k++) {
    const c = (dev.clusterCursor + k) % nc
    if (dev.clusterUsed[c] === 0) {
      if (wholeCluster) dev.clusterCursor = (c + 1) % nc
      return c * SWAPFILE_CLUSTER
    }
    if (wholeCluster || dev.clusterUsed[c] > SWAPFILE_CLUSTER - nr) continue
    const base = c * SWAPFILE_CLUSTER
    for (let off = 0; off < SWAPFILE_CLUSTER; off += nr) {
      let free = true
      for (let i = 0; i < nr && free; i++) free = dev.map[base + off + i] === 0
      if (free) return base + off
    }
  }
  return -1
}

/**
 * `folio_alloc_swap()`: `nrPages` slots for a folio of that size, or -1. A large folio gets
 * contiguous, naturally aligned slots in one cluster or nothing (the caller splits it).
 */
export function folioAllocSwap(m: Machine, nrPages: number, v: ReclaimVariants): number {
  const dev = swapState(m).dev
  if (dev.nrFree < nrPages) return -1
  let slot: number
  if (nrPages === 1) slot = allocOne(dev)
  else if (v.swapoutLargeFolios === 'split' || nrPages > SWAPFILE_CLUSTER) slot = -1
  else if (v.swapoutLargeFolios === 'pmd-only')
    slot = nrPages === 1 << HPAGE_PMD_ORDER ? allocRun(dev, nrPages, true) : -1
  else slot = allocRun(dev, nrPages, false)
  if (slot >= 0) take(dev, slot, nrPages)
  return slot
}

/** `swap_free()` / `free_swap_and_cache()` of `nr` slots from `slot` (swap-in, exit, munmap). */
export function swapFree(m: Machine, slot: number, nr = 1): void {
  const dev = swapState(m).dev
  for (let i = 0; i < nr; i++) {
    const s = slot + i
    if (s < 0 || s >= dev.nrSlots || dev.map[s] === 0)
      throw new RangeError(`swap_free: slot ${s} is not in use`)
    dev.map[s] = 0
    dev.clusterUsed[Math.floor(s / SWAPFILE_CLUSTER)]--
    dev.nrFree++
  }
}

/** Swap usage as `/proc/swaps` shows it (pages). */
export function swapUsage(m: Machine): {
  sizePages: number
  usedPages: number
  freeClusters: number
} {
  const dev = swapState(m).dev
  let freeClusters = 0
  for (let c = 0; c < dev.clusterUsed.length; c++) if (dev.clusterUsed[c] === 0) freeClusters++
  return { sizePages: dev.nrSlots, usedPages: dev.nrSlots - dev.nrFree, freeClusters }
}
