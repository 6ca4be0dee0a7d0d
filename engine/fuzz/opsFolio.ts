/** Fuzz operations on folios: allocation, references, pins, flags, locks, the page cache. */
import { gfpValue, ok, type Ctx, type OpDef } from './opTypes'
import type { Op } from './program'
import { addSlot, dropSlot, freeable, slotOf, type SlotKind, type State } from './state'

const n = (op: Op, key: string): number => op[key] as number
const str = (op: Op, key: string): string => op[key] as string
const H = (op: Op): string => `h[${n(op, 's')}]`

function kindOf(x: { C: Record<string, number> } | null, gfp: string): SlotKind {
  return /MOVABLE|TRANSHUGE/.test(gfp) ||
    (x !== null && (gfpValue(x.C, gfp) & x.C.__GFP_MOVABLE) !== 0)
    ? 'anon'
    : 'kernel'
}

/** An op on a live slot of the given kinds, when `extra(slot)` holds. */
function onSlot(
  kinds: SlotKind[],
  extra: (sl: NonNullable<ReturnType<typeof slotOf>>) => boolean,
  apply: (st: State, op: Op) => void,
  exec: (x: Ctx, op: Op) => unknown,
  print: (op: Op) => string,
): OpDef {
  return {
    valid: (st, op) => {
      const sl = slotOf(st, op)
      return sl !== undefined && kinds.includes(sl.kind) && extra(sl)
    },
    apply,
    exec,
    print,
  }
}

const noop = (): void => {}

export const FOLIO_OPS: Record<string, OpDef> = {
  alloc: {
    valid: (st, op) => !st.slots.has(n(op, 's')) && n(op, 'order') <= st.lay.maxOrder,
    apply: (st, op) => addSlot(st, n(op, 's'), kindOf(null, str(op, 'gfp')), n(op, 'order')),
    exec: (x, op) => {
      x.h[n(op, 's')] = x.k.allocPages(gfpValue(x.C, str(op, 'gfp')), n(op, 'order'))
    },
    print: (op) => `${H(op)} = k.allocPages(${str(op, 'gfp')}, ${n(op, 'order')})`,
  },
  fill: {
    valid: (st, op) => {
      for (let i = 0; i < n(op, 'n'); i++) if (st.slots.has(n(op, 's') + i)) return false
      return true
    },
    apply: (st, op) => {
      for (let i = 0; i < n(op, 'n'); i++)
        addSlot(st, n(op, 's') + i, kindOf(null, str(op, 'gfp')), n(op, 'order'))
    },
    exec: (x, op) => {
      const gfp = gfpValue(x.C, str(op, 'gfp'))
      for (let i = 0; i < n(op, 'n'); i++) x.h[n(op, 's') + i] = x.k.allocPages(gfp, n(op, 'order'))
    },
    print: (op) =>
      `for (let i = 0; i < ${n(op, 'n')}; i++) h[${n(op, 's')} + i] = k.allocPages(${str(op, 'gfp')}, ${n(op, 'order')})`,
  },
  free: onSlot(
    ['anon', 'kernel'],
    freeable,
    (st, op) => dropSlot(st, n(op, 's')),
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (f) x.k.freePages(f)
    },
    (op) => `if (${H(op)}) k.freePages(${H(op)})`,
  ),
  put: onSlot(
    ['anon', 'kernel', 'file'],
    (sl) => (sl.kind === 'file' ? sl.extra > (sl.inCache ? 1 : 0) : sl.extra > 0 || freeable(sl)),
    (st, op) => {
      const sl = slotOf(st, op)!
      if (sl.extra > 0) sl.extra--
      else dropSlot(st, n(op, 's'))
      if (sl.kind === 'file' && sl.extra === 0) dropSlot(st, n(op, 's'))
    },
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (f) x.k.folioPut(f)
    },
    (op) => `if (${H(op)}) k.folioPut(${H(op)})`,
  ),
  get: onSlot(
    ['anon', 'kernel', 'file'],
    () => true,
    (st, op) => void slotOf(st, op)!.extra++,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.folioGet(f)
    },
    (op) => `if (ok(${H(op)})) k.folioGet(${H(op)})`,
  ),
  /** get_page_unless_zero on a page inside a folio we hold: a reference on its head. */
  spec: onSlot(
    ['anon', 'kernel', 'file'],
    () => true,
    (st, op) => void slotOf(st, op)!.extra++,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.getPageUnlessZero(f.pfn + (n(op, 'off') % f.nrPages))
    },
    (op) =>
      `if (ok(${H(op)})) k.getPageUnlessZero(${H(op)}.pfn + (${n(op, 'off')} % ${H(op)}.nrPages))`,
  ),
  /** A PFN walker's speculative reference on any pfn, dropped at once. */
  specPfn: {
    valid: (st, op) => n(op, 'pfn') < st.lay.endPfn,
    apply: noop,
    exec: (x, op) => {
      const g = x.k.getPageUnlessZero(n(op, 'pfn'))
      if (g) x.k.folioPut(g)
    },
    print: (op) => `{ const g = k.getPageUnlessZero(${n(op, 'pfn')}); if (g) k.folioPut(g) }`,
  },
  pin: onSlot(
    ['anon', 'file'],
    () => true,
    (st, op) => void slotOf(st, op)!.pins++,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.pin(f)
    },
    (op) => `if (ok(${H(op)})) k.pin(${H(op)})`,
  ),
  unpin: onSlot(
    ['anon', 'file'],
    (sl) => sl.pins > 0,
    (st, op) => void slotOf(st, op)!.pins--,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.unpin(f)
    },
    (op) => `if (ok(${H(op)})) k.unpin(${H(op)})`,
  ),
  mlock: onSlot(
    ['anon', 'file'],
    (sl) => !sl.mlocked,
    (st, op) => void (slotOf(st, op)!.mlocked = true),
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.mlock(f)
    },
    (op) => `if (ok(${H(op)})) k.mlock(${H(op)})`,
  ),
  munlock: onSlot(
    ['anon', 'file'],
    (sl) => sl.mlocked,
    (st, op) => void (slotOf(st, op)!.mlocked = false),
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.munlock(f)
    },
    (op) => `if (ok(${H(op)})) k.munlock(${H(op)})`,
  ),
  dirty: onSlot(
    ['anon', 'file'],
    () => true,
    noop,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) x.k.markDirty(f)
    },
    (op) => `if (ok(${H(op)})) k.markDirty(${H(op)})`,
  ),
  touch: onSlot(
    ['anon'],
    () => true,
    noop,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (f) x.k.touch(f)
    },
    (op) => `if (${H(op)}) k.touch(${H(op)})`,
  ),
  lock: onSlot(
    ['anon', 'kernel', 'file'],
    () => true,
    noop,
    async (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f)) {
        await x.k.folioLock(f)
        x.k.folioUnlock(f)
      }
    },
    (op) => `if (ok(${H(op)})) { await k.folioLock(${H(op)}); k.folioUnlock(${H(op)}) }`,
  ),
  trylock: onSlot(
    ['anon', 'kernel', 'file'],
    () => true,
    noop,
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (ok(f) && x.k.folioTrylock(f)) x.k.folioUnlock(f)
    },
    (op) => `if (ok(${H(op)}) && k.folioTrylock(${H(op)})) k.folioUnlock(${H(op)})`,
  ),
  /** Writeback ended by another task while this one waits for it. */
  writeback: onSlot(
    ['anon', 'file'],
    () => true,
    noop,
    async (x, op) => {
      const f = x.h[n(op, 's')]
      if (!ok(f)) return
      await x.k.folioLock(f)
      x.k.folioStartWriteback(f)
      x.k.folioUnlock(f)
      const w = x.k.spawn('wb', async (k) => {
        await k.sleep(n(op, 'ns'))
        k.folioEndWriteback(f)
      })
      await x.k.folioWaitWriteback(f)
      await w.join()
    },
    (op) =>
      `if (ok(${H(op)})) { const f = ${H(op)}; await k.folioLock(f); k.folioStartWriteback(f); k.folioUnlock(f); ` +
      `const w = k.spawn('wb', async (k) => { await k.sleep(${n(op, 'ns')}); k.folioEndWriteback(f) }); ` +
      `await k.folioWaitWriteback(f); await w.join() }`,
  ),
  /** Two tasks want the folio lock; the holder sleeps with it. */
  contend: onSlot(
    ['anon', 'kernel', 'file'],
    () => true,
    noop,
    async (x, op) => {
      const f = x.h[n(op, 's')]
      if (!ok(f)) return
      const a = x.k.spawn(
        'holder',
        async (k) => {
          await k.folioLock(f)
          await k.sleep(n(op, 'ns'))
          k.folioUnlock(f)
        },
        { cpu: n(op, 'cpu') },
      )
      await x.k.sleep(1)
      await x.k.folioLock(f)
      x.k.folioUnlock(f)
      await a.join()
    },
    (op) =>
      `if (ok(${H(op)})) { const f = ${H(op)}; const a = k.spawn('holder', async (k) => { await k.folioLock(f); ` +
      `await k.sleep(${n(op, 'ns')}); k.folioUnlock(f) }, { cpu: ${n(op, 'cpu')} }); ` +
      `await k.sleep(1); await k.folioLock(f); k.folioUnlock(f); await a.join() }`,
  ),
  /** A clean page-cache folio with a reader's reference on it. */
  filemap: {
    valid: (st, op) => !st.slots.has(n(op, 's')) && n(op, 'order') <= st.lay.maxOrder,
    apply: (st, op) => addSlot(st, n(op, 's'), 'file', n(op, 'order')),
    exec: (x, op) => {
      const f = x.k.filemapAddFolio(n(op, 'order'), gfpValue(x.C, str(op, 'gfp')))
      x.h[n(op, 's')] = f
      if (f) x.k.folioGet(f)
    },
    print: (op) =>
      `${H(op)} = k.filemapAddFolio(${n(op, 'order')}, ${str(op, 'gfp')}); if (${H(op)}) k.folioGet(${H(op)})`,
  },
  fileRemove: onSlot(
    ['file'],
    (sl) => sl.inCache && sl.pins === 0 && !sl.mlocked,
    (st, op) => {
      slotOf(st, op)!.inCache = false
    },
    (x, op) => {
      const f = x.h[n(op, 's')]
      if (f) x.k.filemapRemoveFolio(f)
    },
    (op) => `if (${H(op)}) k.filemapRemoveFolio(${H(op)})`,
  ),
}
