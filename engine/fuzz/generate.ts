/**
 * Random programs from a seed: a machine (program.ts) and a list of operations drawn by weight
 * among those valid in the static model (state.ts), covering every call of engine/api/mmwb.d.ts.
 */
import { GFP_NAMES } from '../api/runtime'
import { OBSERVE, SYSCTLS, TRACEPOINTS } from './opsMm'
import { OPS } from './ops'
import { Prng } from './prng'
import { genMachine, layoutOf, type Op, type Program } from './program'
import { newState, type Slot, type State } from './state'

/** GFP bases: every GFP_* that mmwb.d.ts declares, as the runtime exports them. */
const BASES: readonly string[] = GFP_NAMES.filter((n) => n.startsWith('GFP_'))
/** Bases without a zone or mobility modifier, which may take one. */
const PLAIN = ['GFP_KERNEL', 'GFP_ATOMIC', 'GFP_NOWAIT', 'GFP_NOIO', 'GFP_NOFS', 'GFP_USER']
/** Modifiers valid with any base. */
const MODS = [
  '__GFP_COMP',
  '__GFP_NOWARN',
  '__GFP_NORETRY',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_HIGH',
  '__GFP_ZERO',
  '__GFP_ACCOUNT',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_MEMALLOC',
  '__GFP_NOMEMALLOC',
  '__GFP_WRITE',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_RECLAIM',
]
/** Zone and mobility modifiers, only on PLAIN bases, one at a time. */
const ZONE_MODS = [
  '__GFP_DMA',
  '__GFP_DMA32',
  '__GFP_HIGHMEM',
  '__GFP_MOVABLE',
  '__GFP_RECLAIMABLE',
]

function genGfp(r: Prng, st: State, order: number): string {
  const base = r.chance(0.45) ? r.pick(['GFP_KERNEL', 'GFP_HIGHUSER_MOVABLE']) : r.pick(BASES)
  const parts = [base]
  if (PLAIN.includes(base) && r.chance(0.2)) parts.push(r.pick(ZONE_MODS))
  const nmods = r.chance(0.4) ? r.range(1, 2) : 0
  for (let i = 0; i < nmods; i++) {
    const m = r.pick(MODS)
    if (!parts.includes(m)) parts.push(m)
  }
  // __GFP_NOFAIL loops until it succeeds: only small orders with memory to spare.
  if (order <= 1 && st.pages < st.lay.endPfn / 3 && r.chance(0.05)) parts.push('__GFP_NOFAIL')
  return parts.join(' | ')
}

function genOrder(r: Prng, max: number): number {
  return r.chance(0.8) ? r.range(0, 3) : r.range(0, max)
}

function pickSlot(r: Prng, st: State, want: (sl: Slot) => boolean): number | null {
  const live = [...st.slots.entries()].filter(([, sl]) => want(sl))
  return live.length === 0 ? null : r.pick(live)[0]
}

type Gen = (r: Prng, st: State) => Op | null

const slotOp =
  (op: string, extra: (r: Prng) => Record<string, number | string> = () => ({})): Gen =>
  (r, st) => {
    const s = pickSlot(r, st, () => true)
    return s === null ? null : { op, s, ...extra(r) }
  }

/** A generator per op kind, with its weight. */
const GENS: [number, string, Gen][] = [
  [
    25,
    'alloc',
    (r, st) => {
      if (st.pages > st.lay.endPfn * 0.7) return null
      const order = genOrder(r, st.lay.maxOrder)
      return { op: 'alloc', s: st.next.slot, gfp: genGfp(r, st, order), order }
    },
  ],
  [
    3,
    'fill',
    (r, st) => {
      const order = r.range(0, 2)
      const cnt = r.pick([16, 64, 256])
      if (st.pages + cnt * (1 << order) > st.lay.endPfn * 0.7) return null
      const gfp = r.pick([
        'GFP_KERNEL',
        'GFP_HIGHUSER_MOVABLE',
        'GFP_HIGHUSER_MOVABLE',
        'GFP_ATOMIC',
      ])
      return { op: 'fill', s: st.next.slot, n: cnt, gfp, order }
    },
  ],
  [14, 'free', slotOp('free')],
  [6, 'put', slotOp('put')],
  [4, 'get', slotOp('get')],
  [
    2,
    'spec',
    (r, st) => {
      // A tail of a non-compound block has refcount 0 (no reference taken): heads only there.
      const s = pickSlot(r, st, () => true)
      if (s === null) return null
      const sl = st.slots.get(s)!
      return { op: 'spec', s, off: sl.kind === 'kernel' ? 0 : r.int(1 << sl.order) }
    },
  ],
  [2, 'specPfn', (r, st) => ({ op: 'specPfn', pfn: r.int(st.lay.endPfn) })],
  [2, 'pin', slotOp('pin')],
  [2, 'unpin', slotOp('unpin')],
  [1.5, 'mlock', slotOp('mlock')],
  [1.5, 'munlock', slotOp('munlock')],
  [1, 'dirty', slotOp('dirty')],
  [1, 'touch', slotOp('touch')],
  [1, 'lock', slotOp('lock')],
  [1, 'trylock', slotOp('trylock')],
  [0.7, 'writeback', slotOp('writeback', (r) => ({ ns: r.range(1, 100_000) }))],
  [
    0.7,
    'contend',
    (r, st) => {
      const s = pickSlot(r, st, () => true)
      return s === null
        ? null
        : { op: 'contend', s, ns: r.range(1, 100_000), cpu: r.int(st.lay.nrCpus) }
    },
  ],
  [
    4,
    'filemap',
    (r, st) => {
      const order = r.chance(0.7) ? 0 : r.range(1, 4)
      const gfp = r.pick([
        'GFP_HIGHUSER_MOVABLE',
        'GFP_NOFS',
        'GFP_KERNEL',
        'GFP_HIGHUSER_MOVABLE | __GFP_NORETRY',
      ])
      return { op: 'filemap', s: st.next.slot, order, gfp }
    },
  ],
  [2, 'fileRemove', slotOp('fileRemove')],
  [0.5, 'procNew', (_r, st) => ({ op: 'procNew', q: st.next.proc })],
  [
    2,
    'map',
    (r, st) => {
      const s = pickSlot(r, st, (sl) => sl.kind === 'anon')
      return s === null || st.procs.size === 0 ? null : { op: 'map', s, q: r.pick([...st.procs]) }
    },
  ],
  [
    1,
    'unmap',
    (r, st) => {
      const s = pickSlot(r, st, (sl) => [...sl.maps.values()].some((c) => c > 0))
      if (s === null) return null
      const qs = [...st.slots.get(s)!.maps.entries()].filter(([, c]) => c > 0)
      return { op: 'unmap', s, q: r.pick(qs)[0] }
    },
  ],
  [0.3, 'exit', (r, st) => (st.procs.size === 0 ? null : { op: 'exit', q: r.pick([...st.procs]) })],
  [
    0.7,
    'tasks',
    (r) => ({
      op: 'tasks',
      n: r.range(1, 16),
      order: r.range(0, 3),
      ns: r.range(0, 20_000),
      daemon: r.int(2),
      gfp: r.pick(['GFP_KERNEL', 'GFP_HIGHUSER_MOVABLE', 'GFP_ATOMIC', 'GFP_NOWAIT']),
    }),
  ],
  [2, 'sleep', (r) => ({ op: 'sleep', ns: r.pick([0, 1000, 100_000, 10_000_000, 600_000_000]) })],
  [0.7, 'compact', () => ({ op: 'compact' })],
  [
    1.5,
    'tryCompact',
    (r, st) => ({
      op: 'tryCompact',
      order: r.range(1, st.lay.maxOrder),
      gfp: r.pick(['GFP_KERNEL', 'GFP_TRANSHUGE', 'GFP_NOIO', 'GFP_HIGHUSER_MOVABLE']),
      prio: r.pick(['COMPACT_PRIO_SYNC_FULL', 'COMPACT_PRIO_SYNC_LIGHT', 'COMPACT_PRIO_ASYNC']),
    }),
  ],
  [0.7, 'kcompactd', (r, st) => ({ op: 'kcompactd', order: r.range(1, st.lay.maxOrder) })],
  [
    2,
    'migrate',
    (r, st) => {
      const ss = new Set<number>()
      for (let i = r.range(1, 4); i > 0; i--) {
        const s = pickSlot(r, st, () => true)
        if (s !== null) ss.add(s)
      }
      if (ss.size === 0) return null
      return {
        op: 'migrate',
        ss: [...ss].join(','),
        mode: r.pick(['async', 'sync-light', 'sync']),
        reason: r.pick([
          'compaction',
          'syscall_or_cpuset',
          'mempolicy_mbind',
          'numa_misplaced',
          'longterm_pin',
          'demotion',
        ]),
      }
    },
  ],
  [
    0.5,
    'migrateLocked',
    slotOp('migrateLocked', (r) => ({
      ns: r.range(0, 50_000),
      mode: r.pick(['sync', 'sync-light', 'async']),
    })),
  ],
  [
    1.5,
    'cmaAlloc',
    (r, st) => {
      const a = st.lay.cmaPages[0]
      if (!a) return null
      return {
        op: 'cmaAlloc',
        x: st.next.cma,
        name: a.name,
        count: r.pick([1, 16, 512, 1024, a.pages >> 1]),
        align: r.pick([0, 0, 4, 9]),
      }
    },
  ],
  [
    1,
    'cmaRelease',
    (r, st) => {
      if (st.cma.size === 0) return null
      const x = r.pick([...st.cma.keys()])
      const c = st.cma.get(x)!
      return { op: 'cmaRelease', x, name: c.name, count: c.count }
    },
  ],
  [
    1.5,
    'contig',
    (r, st) => {
      // alloc_contig_range wants a range inside one zone: pick a zone above ZONE_DMA.
      const nr = r.pick([1, 16, 512, 1024, 2048])
      const e = st.lay.zoneEdges
      const zones = e
        .slice(1)
        .map((hi, i) => [e[i], hi])
        .filter(([lo, hi]) => lo >= st.lay.dma32Start && hi - lo >= nr)
      if (zones.length === 0) return null
      const [lo, hi] = r.pick(zones)
      const start = Math.max(lo, Math.min(lo + r.int(hi - lo), hi - nr) & ~(nr >= 512 ? 511 : 0))
      return {
        op: 'contig',
        x: st.next.contig,
        start,
        end: start + nr,
        mt: r.chance(0.8) ? 'MIGRATE_MOVABLE' : 'MIGRATE_CMA',
      }
    },
  ],
  [
    1,
    'contigFree',
    (r, st) => {
      if (st.contig.size === 0) return null
      const x = r.pick([...st.contig.keys()])
      const c = st.contig.get(x)!
      return { op: 'contigFree', x, start: c.start, nr: c.nr }
    },
  ],
  [
    1.5,
    'virtio',
    (r, st) =>
      st.lay.virtioMiB > 0
        ? { op: 'virtio', mib: r.pick([0, 2, 32, 64, 100, st.lay.virtioMiB]) }
        : null,
  ],
  [0.3, 'walkerArm', (r, st) => (st.noWalker ? null : { op: 'walkerArm', n: r.range(1, 4) })],
  [0.3, 'walkerRelease', () => ({ op: 'walkerRelease' })],
  [
    1,
    'sysctl',
    (r) => {
      const [name, values] = r.pick(SYSCTLS)
      return { op: 'sysctl', name, value: r.pick(values) }
    },
  ],
  [2, 'observe', (r) => ({ op: 'observe', what: r.int(OBSERVE.length) })],
  [0.3, 'log', (r) => ({ op: 'log', f: r.int(101) })],
  [0.5, 'traceOn', (r, st) => ({ op: 'traceOn', x: st.next.trace, tp: r.pick(TRACEPOINTS) })],
  [
    0.3,
    'traceOff',
    (r, st) => (st.traces.size === 0 ? null : { op: 'traceOff', x: r.pick([...st.traces]) }),
  ],
]
const WEIGHTS = GENS.map((g) => g[0])

/** The program of a seed: `nrOps` operations (default 60..400) on a random machine. */
export function generate(seed: number, nrOps?: number): Program {
  const r = new Prng(seed)
  const machine = genMachine(r, seed)
  const st = newState(layoutOf(machine))
  st.noWalker = machine.design?.['compaction.freeRefcount'] === 'set-count-zero'
  const want = nrOps ?? r.range(60, 400)
  const ops: Op[] = []
  for (let tries = 0; ops.length < want && tries < want * 20; tries++) {
    const op = GENS[r.weighted(WEIGHTS)][2](r, st)
    if (op === null || !OPS[op.op].valid(st, op)) continue
    OPS[op.op].apply(st, op)
    ops.push(op)
  }
  return { seed, machine, ops }
}
