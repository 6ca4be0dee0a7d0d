/**
 * Fuzz operations on the rest of the API: processes, tasks, compaction, migration, CMA,
 * alloc_contig_range, virtio-mem, the PFN walker, sysctls, traces and every read-only call.
 */
import type { Folio, SysctlName, TracepointName } from '../api/mmwb'
import { gfpValue, ok, type OpDef } from './opTypes'
import type { Op } from './program'

const n = (op: Op, key: string): number => op[key] as number
const str = (op: Op, key: string): string => op[key] as string
const noop = (): void => {}
const always = (): boolean => true
const slotList = (op: Op): number[] => str(op, 'ss').split(',').filter(Boolean).map(Number)

/** Read-only calls, as [printed expression, evaluation]; `observe` records their value. */
export const OBSERVE: [string, (x: Parameters<OpDef['exec']>[0]) => number][] = [
  ["k.vmstat('nr_free_pages')", (x) => x.k.vmstat('nr_free_pages')],
  ["k.vmstat('compact_stall')", (x) => x.k.vmstat('compact_stall')],
  ['k.proc.buddyinfo().length', (x) => x.k.proc.buddyinfo().length],
  ['k.proc.pagetypeinfo().length', (x) => x.k.proc.pagetypeinfo().length],
  ['k.proc.vmstat().length', (x) => x.k.proc.vmstat().length],
  ['k.extfrag.unusableIndex().length', (x) => x.k.extfrag.unusableIndex().length],
  ['k.extfrag.fragmentationIndex().length', (x) => x.k.extfrag.fragmentationIndex().length],
  ["k.sysctl.get('vm.min_free_kbytes')", (x) => x.k.sysctl.get('vm.min_free_kbytes')],
  [
    "k.histogram('migrate_latency_ns')?.count ?? 0",
    (x) => x.k.histogram('migrate_latency_ns')?.count ?? 0,
  ],
  ['k.cma.areas().length', (x) => x.k.cma.areas().length],
  [
    'k.rng.int(7) + k.rng.float() + (k.rng.next() & 1)',
    (x) => x.k.rng.int(7) + x.k.rng.float() + (x.k.rng.next() & 1),
  ],
  ['k.now()', (x) => x.k.now()],
  ['traced.n', (x) => x.traced.n],
  [
    'h.filter(ok).reduce((a, f) => a + k.folioRefCount(f) + k.folioMapcount(f), 0)',
    (x) =>
      x.h
        .filter(ok)
        .reduce((a: number, f: Folio) => a + x.k.folioRefCount(f) + x.k.folioMapcount(f), 0),
  ],
  [
    'p.reduce((a, q) => a + (q ? q.rssPages() : 0), 0)',
    (x) => x.p.reduce((a, q) => a + (q ? q.rssPages() : 0), 0),
  ],
]

/** Sysctls with the values the fuzzer writes (all valid). */
export const SYSCTLS: [SysctlName, number[]][] = [
  ['vm.min_free_kbytes', [128, 1024, 4096, 16384]],
  ['vm.watermark_scale_factor', [1, 10, 200, 1000]],
  ['vm.watermark_boost_factor', [0, 15000, 30000]],
  ['vm.extfrag_threshold', [0, 500, 1000]],
  ['vm.compaction_proactiveness', [0, 20, 90]],
  ['vm.compact_unevictable_allowed', [0, 1]],
  ['vm.compact_memory', [1]],
  ['vm.swappiness', [0, 60, 200]],
]

export const TRACEPOINTS: TracepointName[] = [
  'mm_page_alloc',
  'mm_page_free',
  'mm_page_alloc_extfrag',
  'mm_migrate_pages',
  'mm_compaction_end',
  'cma_alloc_finish',
  'test_pages_isolated',
  'mm_vmscan_kswapd_wake',
]

export const MM_OPS: Record<string, OpDef> = {
  procNew: {
    valid: (st, op) => !st.procs.has(n(op, 'q')),
    apply: (st, op) =>
      void (st.procs.add(n(op, 'q')), (st.next.proc = Math.max(st.next.proc, n(op, 'q') + 1))),
    exec: (x, op) => void (x.p[n(op, 'q')] = x.k.createProcess(`p${n(op, 'q')}`)),
    print: (op) => `p[${n(op, 'q')}] = k.createProcess('p${n(op, 'q')}')`,
  },
  map: {
    valid: (st, op) => st.procs.has(n(op, 'q')) && st.slots.get(n(op, 's'))?.kind === 'anon',
    apply: (st, op) => {
      const m = st.slots.get(n(op, 's'))!.maps
      m.set(n(op, 'q'), (m.get(n(op, 'q')) ?? 0) + 1)
    },
    exec: (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.p[n(op, 'q')]!.map(f)
    },
    print: (op) => `if (ok(h[${n(op, 's')}])) p[${n(op, 'q')}].map(h[${n(op, 's')}])`,
  },
  unmap: {
    valid: (st, op) => (st.slots.get(n(op, 's'))?.maps.get(n(op, 'q')) ?? 0) > 0,
    apply: (st, op) => {
      const m = st.slots.get(n(op, 's'))!.maps
      m.set(n(op, 'q'), m.get(n(op, 'q'))! - 1)
    },
    exec: (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.p[n(op, 'q')]!.unmap(f)
    },
    print: (op) => `if (ok(h[${n(op, 's')}])) p[${n(op, 'q')}].unmap(h[${n(op, 's')}])`,
  },
  exit: {
    valid: (st, op) => st.procs.has(n(op, 'q')),
    apply: (st, op) => {
      st.procs.delete(n(op, 'q'))
      for (const sl of st.slots.values()) sl.maps.delete(n(op, 'q'))
    },
    exec: (x, op) => {
      x.p[n(op, 'q')]!.exit()
      delete x.p[n(op, 'q')]
    },
    print: (op) => `p[${n(op, 'q')}].exit(); delete p[${n(op, 'q')}]`,
  },
  /** Two tasks (one per CPU) allocating and freeing their own folios concurrently. */
  tasks: {
    valid: always,
    apply: noop,
    exec: async (x, op) => {
      const gfp = gfpValue(x.C, str(op, 'gfp'))
      const body = async (k: typeof x.k): Promise<void> => {
        const mine: Folio[] = []
        for (let i = 0; i < n(op, 'n'); i++) {
          const f = k.allocPages(gfp, n(op, 'order'))
          if (f) mine.push(f)
          await k.sleep(n(op, 'ns'))
        }
        for (const f of mine) k.freePages(f)
      }
      const a = x.k.spawn('wa', body, { cpu: 0 })
      const b = x.k.spawn('wb', body, { daemon: n(op, 'daemon') === 1 })
      await a.join()
      await b.join()
    },
    print: (op) =>
      `{ const body = async (k: Kernel) => { const mine: Folio[] = []; for (let i = 0; i < ${n(op, 'n')}; i++) { ` +
      `const f = k.allocPages(${str(op, 'gfp')}, ${n(op, 'order')}); if (f) mine.push(f); await k.sleep(${n(op, 'ns')}) } ` +
      `for (const f of mine) k.freePages(f) }; const a = k.spawn('wa', body, { cpu: 0 }); ` +
      `const b = k.spawn('wb', body, { daemon: ${n(op, 'daemon') === 1} }); await a.join(); await b.join() }`,
  },
  sleep: {
    valid: always,
    apply: noop,
    exec: (x, op) => x.k.sleep(n(op, 'ns')),
    print: (op) => `await k.sleep(${n(op, 'ns')})`,
  },
  compact: {
    valid: always,
    apply: noop,
    exec: (x) => x.k.compactMemory(),
    print: () => 'k.compactMemory()',
  },
  tryCompact: {
    valid: (st, op) => n(op, 'order') <= st.lay.maxOrder,
    apply: noop,
    exec: (x, op) =>
      x.k.tryToCompactPages(n(op, 'order'), gfpValue(x.C, str(op, 'gfp')), x.C[str(op, 'prio')]),
    print: (op) => `k.tryToCompactPages(${n(op, 'order')}, ${str(op, 'gfp')}, ${str(op, 'prio')})`,
  },
  kcompactd: {
    valid: (st, op) => n(op, 'order') <= st.lay.maxOrder,
    apply: noop,
    exec: (x, op) => x.k.wakeKcompactd(n(op, 'order')),
    print: (op) => `k.wakeKcompactd(${n(op, 'order')})`,
  },
  migrate: {
    valid: (st, op) => slotList(op).every((s) => st.slots.has(s)),
    apply: noop,
    exec: (x, op) =>
      x.k.migratePages(
        slotList(op)
          .map((s) => x.h[s])
          .filter(ok),
        {
          mode: str(op, 'mode') as 'sync',
          reason: str(op, 'reason') as 'compaction',
        },
      ),
    print: (op) =>
      `k.migratePages([${slotList(op)
        .map((s) => `h[${s}]`)
        .join(', ')}].filter(ok), { mode: '${str(op, 'mode')}', reason: '${str(op, 'reason')}' })`,
  },
  /** migrate_pages while another task waits for the source's lock (seed 001). */
  migrateLocked: {
    valid: (st, op) => st.slots.get(n(op, 's'))?.kind === 'anon',
    apply: noop,
    exec: async (x, op) => {
      const f = x.h[n(op, 's')]
      if (!ok(f)) return
      const a = x.k.spawn('locker', async (k) => {
        await k.sleep(n(op, 'ns'))
        await k.folioLock(f)
        k.folioUnlock(f)
      })
      x.k.migratePages([f], { mode: str(op, 'mode') as 'sync' })
      await a.join()
    },
    print: (op) =>
      `if (ok(h[${n(op, 's')}])) { const f = h[${n(op, 's')}]; const a = k.spawn('locker', async (k) => { ` +
      `await k.sleep(${n(op, 'ns')}); await k.folioLock(f); k.folioUnlock(f) }); ` +
      `k.migratePages([f], { mode: '${str(op, 'mode')}' }); await a.join() }`,
  },
  cmaAlloc: {
    valid: (st, op) =>
      !st.cma.has(n(op, 'x')) && st.lay.cmaPages.some((a) => a.name === str(op, 'name')),
    apply: (st, op) => {
      st.cma.set(n(op, 'x'), { name: str(op, 'name'), count: n(op, 'count') })
      st.next.cma = Math.max(st.next.cma, n(op, 'x') + 1)
    },
    exec: (x, op) =>
      void (x.c[n(op, 'x')] = x.k.cma.alloc(str(op, 'name'), n(op, 'count'), n(op, 'align')).pfn),
    print: (op) =>
      `c[${n(op, 'x')}] = k.cma.alloc('${str(op, 'name')}', ${n(op, 'count')}, ${n(op, 'align')}).pfn`,
  },
  cmaRelease: {
    valid: (st, op) => st.cma.has(n(op, 'x')),
    apply: (st, op) => void st.cma.delete(n(op, 'x')),
    exec: (x, op) => {
      const pfn = x.c[n(op, 'x')]
      if (pfn !== null && pfn !== undefined) x.k.cma.release(str(op, 'name'), pfn, n(op, 'count'))
    },
    print: (op) => {
      const c = `c[${n(op, 'x')}]`
      return `if (${c} !== null && ${c} !== undefined) k.cma.release('${str(op, 'name')}', ${c}, ${n(op, 'count')})`
    },
  },
  contig: {
    valid: (st, op) => !st.contig.has(n(op, 'x')) && n(op, 'end') <= st.lay.endPfn,
    apply: (st, op) => {
      st.contig.set(n(op, 'x'), { start: n(op, 'start'), nr: n(op, 'end') - n(op, 'start') })
      st.next.contig = Math.max(st.next.contig, n(op, 'x') + 1)
    },
    exec: (x, op) =>
      void (x.r[n(op, 'x')] = x.k.allocContigRange(
        n(op, 'start'),
        n(op, 'end'),
        x.C[str(op, 'mt')],
      ).ret),
    print: (op) =>
      `r[${n(op, 'x')}] = k.allocContigRange(${n(op, 'start')}, ${n(op, 'end')}, ${str(op, 'mt')}).ret`,
  },
  contigFree: {
    valid: (st, op) => st.contig.has(n(op, 'x')),
    apply: (st, op) => void st.contig.delete(n(op, 'x')),
    exec: (x, op) => {
      if (x.r[n(op, 'x')] === 0) x.k.freeContigRange(n(op, 'start'), n(op, 'nr'))
    },
    print: (op) =>
      `if (r[${n(op, 'x')}] === 0) k.freeContigRange(${n(op, 'start')}, ${n(op, 'nr')})`,
  },
  virtio: {
    valid: (st) => st.lay.virtioMiB > 0,
    apply: noop,
    exec: (x, op) => x.k.virtioMem.request(n(op, 'mib')),
    print: (op) => `k.virtioMem.request(${n(op, 'mib')})`,
  },
  walkerArm: {
    valid: (st) => !st.walkerArmed && !st.noWalker,
    apply: (st) => void (st.walkerArmed = true),
    exec: (x, op) => x.k.pfnWalker.armCompactionTargets(n(op, 'n')),
    print: (op) => `k.pfnWalker.armCompactionTargets(${n(op, 'n')})`,
  },
  walkerRelease: {
    valid: always,
    apply: (st) => void (st.walkerArmed = false),
    exec: (x) => x.k.pfnWalker.release(),
    print: () => 'k.pfnWalker.release()',
  },
  sysctl: {
    valid: always,
    apply: noop,
    exec: (x, op) => x.k.sysctl.set(str(op, 'name') as SysctlName, n(op, 'value')),
    print: (op) => `k.sysctl.set('${str(op, 'name')}', ${n(op, 'value')})`,
  },
  observe: {
    valid: (_st, op) => n(op, 'what') < OBSERVE.length,
    apply: noop,
    exec: (x, op) => x.k.record('obs', OBSERVE[n(op, 'what')][1](x)),
    print: (op) => `k.record('obs', ${OBSERVE[n(op, 'what')][0]})`,
  },
  log: {
    valid: always,
    apply: noop,
    exec: (x, op) => x.k.progress(n(op, 'f') / 100),
    print: (op) => `k.progress(${n(op, 'f') / 100})`,
  },
  traceOn: {
    valid: (st, op) => !st.traces.has(n(op, 'x')),
    apply: (st, op) => {
      st.traces.add(n(op, 'x'))
      st.next.trace = Math.max(st.next.trace, n(op, 'x') + 1)
    },
    exec: (x, op) =>
      void (x.t[n(op, 'x')] = x.k.trace.on(
        str(op, 'tp') as TracepointName,
        () => void x.traced.n++,
      )),
    print: (op) => `t[${n(op, 'x')}] = k.trace.on('${str(op, 'tp')}', () => void traced.n++)`,
  },
  traceOff: {
    valid: (st, op) => st.traces.has(n(op, 'x')),
    apply: (st, op) => void st.traces.delete(n(op, 'x')),
    exec: (x, op) => x.t[n(op, 'x')]!(),
    print: (op) => `t[${n(op, 'x')}]()`,
  },
}
