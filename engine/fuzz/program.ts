/**
 * A fuzz program is data: the machine a workload script would export (`machine`, with its era
 * and design keys) and a list of operations on the public workload API (ops.ts). The same
 * program runs in the interpreter (interp.ts) and prints as a standalone script (print.ts).
 */
import { DESIGN_KEYS } from '../api/design'
import { KERNEL_ERAS } from '../mm/config'
import { Prng } from './prng'

/** One operation: its kind and plain arguments (numbers and strings only). */
export interface Op {
  op: string
  [arg: string]: number | string
}

/** The `machine` export of the program: a MachineSpec as plain data. */
export interface FuzzMachine {
  memoryMiB: number
  nrCpus: number
  kernelEra: string
  debugVm: true
  pcp?: boolean
  movableMiB?: number
  swap?: { sizeMiB: number; synchronousIo?: boolean }
  cma?: { name: string; sizeMiB: number }[]
  virtioMem?: { regionMiB: number; requestedMiB: number; forceBbm?: boolean }
  design?: Record<string, string>
  nrNodes?: number
  minFreeKbytes?: number
  thpRecommendedMinFree?: boolean
  watermarkScaleFactor?: number
  watermarkBoostFactor?: number
  maxPageOrder?: number
  pageblockOrder?: number
}

export interface Program {
  /** The seed it was generated from (0 for a hand-made or shrunk program). */
  seed: number
  machine: FuzzMachine
  ops: Op[]
}

/** What the generator and the static checks know about the machine's layout, in pages. */
export interface Layout {
  endPfn: number
  nrCpus: number
  maxOrder: number
  /** First pfn of ZONE_DMA32 (the x86_64 default layout: ZONE_DMA is the first 16 MiB). */
  dma32Start: number
  /** First pfn of ZONE_MOVABLE, or endPfn. */
  movableStart: number
  /** Zone boundaries (x86_64 layout, nodes split evenly, ZONE_MOVABLE at the top of each). */
  zoneEdges: number[]
  cmaPages: { name: string; pages: number }[]
  virtioMiB: number
  swap: boolean
}

const MIB = 256

export function layoutOf(mc: FuzzMachine): Layout {
  const endPfn = mc.memoryMiB * MIB
  return {
    endPfn,
    nrCpus: mc.nrCpus,
    maxOrder: mc.maxPageOrder ?? 10,
    dma32Start: 16 * MIB,
    movableStart: endPfn - (mc.movableMiB ?? 0) * MIB,
    zoneEdges: zoneEdges(mc),
    cmaPages: (mc.cma ?? []).map((a) => ({ name: a.name, pages: a.sizeMiB * MIB })),
    virtioMiB: mc.virtioMem?.regionMiB ?? 0,
    swap: mc.swap !== undefined,
  }
}

function zoneEdges(mc: FuzzMachine): number[] {
  const end = mc.memoryMiB * MIB
  const pb = 1 << (mc.pageblockOrder ?? Math.min(9, mc.maxPageOrder ?? 10))
  const nodes = mc.nrNodes ?? 1
  const perNode = Math.floor(end / nodes / pb) * pb
  const movPerNode = Math.floor(((mc.movableMiB ?? 0) * MIB) / nodes / pb) * pb
  const edges = new Set([0, 16 * MIB, end])
  for (let nid = 0; nid < nodes; nid++) {
    const nodeEnd = nid === nodes - 1 ? end : (nid + 1) * perNode
    edges.add(nid * perNode)
    edges.add(nodeEnd - movPerNode)
  }
  return [...edges].sort((a, b) => a - b)
}

/** A random machine: size, CPUs, era, per-cpu lists, design keys and optional devices. */
export function genMachine(r: Prng, seed: number): FuzzMachine {
  const memoryMiB = r.pick([128, 256, 256, 512])
  const mc: FuzzMachine = {
    memoryMiB,
    nrCpus: r.range(1, 4),
    kernelEra: r.pick(KERNEL_ERAS),
    debugVm: true,
  }
  if (r.chance(0.15)) mc.pcp = false
  const design: Record<string, string> = {}
  for (const [key, values] of Object.entries(DESIGN_KEYS))
    if (r.chance(0.3)) design[key] = r.pick(values as readonly string[])
  if (Object.keys(design).length > 0) mc.design = design
  if (r.chance(0.2)) mc.swap = { sizeMiB: r.pick([64, 128]), synchronousIo: r.chance(0.5) }
  if (r.chance(0.25)) mc.movableMiB = r.pick([32, 64])
  if (r.chance(0.35)) mc.cma = [{ name: 'cma0', sizeMiB: r.pick([8, 16, 32]) }]
  if (r.chance(0.3) && memoryMiB >= 256) {
    // virtio-mem regions are whole Linux memory blocks (128 MiB) at the top of memory.
    mc.virtioMem = { regionMiB: 128, requestedMiB: r.pick([0, 32, 64, 128]) }
    if (r.chance(0.2)) mc.virtioMem.forceBbm = true
    delete mc.movableMiB
  }
  return withExtras(mc, seed)
}

/**
 * The rarer machine fields (NUMA nodes, watermark knobs, buddy geometry), from a generator of
 * their own so adding one does not change the programs other seeds draw.
 */
function withExtras(mc: FuzzMachine, seed: number): FuzzMachine {
  const r = new Prng((seed ^ 0x5eed5eed) >>> 0)
  if (!r.chance(0.3)) return mc
  const out = { ...mc }
  if (r.chance(0.4) && mc.memoryMiB >= 256 && mc.nrCpus >= 2) out.nrNodes = 2
  if (r.chance(0.3)) out.minFreeKbytes = r.pick([512, 2048, 8192])
  if (r.chance(0.3)) out.thpRecommendedMinFree = r.chance(0.5)
  if (r.chance(0.3)) out.watermarkScaleFactor = r.pick([1, 100, 1000])
  if (r.chance(0.3)) out.watermarkBoostFactor = r.pick([0, 15000])
  if (r.chance(0.25) && !mc.cma && !mc.virtioMem) {
    out.maxPageOrder = r.pick([9, 10, 11])
    out.pageblockOrder = Math.min(out.maxPageOrder, r.pick([8, 9]))
  }
  return out
}
