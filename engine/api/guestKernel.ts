/**
 * The user-facing `Kernel` object (mmwb.d.ts), built inside the script's realm.
 *
 * Why a separate builder: under node:vm, any host object a script can reach leaks the host's
 * `Function` constructor (`obj.constructor.constructor('return process')()`), and so Node.
 * So scripts never see host objects. The host exposes a table of primitive-only calls
 * (`KernelSys`, kernel.ts); this builder runs *inside* the script's realm (the vm runner
 * evaluates its source text there) and wraps those calls into realm-local objects: folio
 * handles, trace events, task handles and errors are all created here. Host exceptions are
 * rethrown as realm-local errors carrying only the name and message.
 *
 * Constraints that follow: `buildGuest` must be self-contained (it is stringified with
 * Function.prototype.toString): no imports, no module-level references, and no syntax a
 * transpiler would rewrite with helpers (`?.`, `??`, class fields, object spread).
 */
import type { KernelSys } from './kernelSys'

export interface Guest {
  /** The `Kernel` object handed to the workload's default export. */
  kernel: unknown
  /** `require` for the compiled module: maps only 'mmwb'. */
  require: (name: string) => unknown
  /** `console` whose output goes to the run log. */
  console: unknown
  /** Updates the values the module 'mmwb' exposes (host-side call, primitives only). */
  setConstants: (values: Record<string, number>) => void
}

export function buildGuest(sys: KernelSys, constants: Record<string, number>): Guest {
  'use strict'
  const G = globalThis as unknown as {
    Error: ErrorConstructor
    RangeError: RangeErrorConstructor
    TypeError: TypeErrorConstructor
    Object: ObjectConstructor
    JSON: JSON
    String: StringConstructor
    Array: ArrayConstructor
    WeakMap: WeakMapConstructor
  }
  const freeze = G.Object.freeze

  function localError(e: unknown): Error {
    let name = 'Error'
    let message = ''
    try {
      const o = e as { name?: unknown; message?: unknown }
      name = typeof o.name === 'string' ? o.name : 'Error'
      message = typeof o.message === 'string' ? o.message : G.String(e)
    } catch {
      message = 'unknown error'
    }
    // The host throws Error/RangeError (and named model errors) on purpose; a TypeError or
    // ReferenceError from host code is a bug in the simulator, not in the workload.
    if (name === 'TypeError' || name === 'ReferenceError' || name === 'SyntaxError') {
      const bug = new G.Error(name + ': ' + message)
      bug.name = 'InternalError'
      return bug
    }
    const Ctor = name === 'RangeError' ? G.RangeError : G.Error
    const err = new Ctor(message)
    if (name !== err.name) err.name = name
    return err
  }
  function guard<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R {
    return function (...args: A): R {
      try {
        return f(...args)
      } catch (e) {
        throw localError(e)
      }
    }
  }

  interface FolioHandle {
    pfn: number
    order: number
    nrPages: number
    swapped: boolean
  }
  // Handle ids by handle object, for the calls that act on a swapped-out folio (no pfn).
  const ids = new G.WeakMap<object, number>()
  function handleId(f: unknown): number {
    if (typeof f === 'object' && f !== null) {
      const id = ids.get(f)
      if (id !== undefined) return id
    }
    return -1
  }
  // Handles follow their folio when migration moves or splits it: pfn and order are read
  // from the host at each use.
  function folio(pfn: number): FolioHandle {
    const id = s.handleNew(pfn)
    const h = freeze(
      G.Object.defineProperties(
        {},
        {
          pfn: {
            enumerable: true,
            get: function () {
              return s.handlePfn(id)
            },
          },
          order: {
            enumerable: true,
            get: function () {
              return s.handleOrder(id)
            },
          },
          nrPages: {
            enumerable: true,
            get: function () {
              return 2 ** s.handleOrder(id)
            },
          },
          swapped: {
            enumerable: false,
            get: function () {
              return s.handleSwapped(id)
            },
          },
        },
      ),
    ) as FolioHandle
    ids.set(h, id)
    return h
  }
  function parsed(text: string): unknown {
    return G.JSON.parse(text)
  }
  function pfnOf(f: unknown, what: string): number {
    if (typeof f === 'object' && f !== null && typeof (f as FolioHandle).pfn === 'number') {
      const pfn = (f as FolioHandle).pfn
      if (pfn < 0 && (f as FolioHandle).swapped) {
        throw new G.Error(what + ': the folio is swapped out (k.touch(folio) faults it back in)')
      }
      return pfn
    }
    throw new G.TypeError(what + ': expected a Folio (as returned by allocPages)')
  }
  function pfnArg(f: unknown, what: string): number {
    return typeof f === 'number' ? f : pfnOf(f, what)
  }
  function show(v: unknown): string {
    if (typeof v === 'string') return v
    if (typeof v === 'object' && v !== null) {
      try {
        return G.JSON.stringify(v)
      } catch {
        return G.String(v)
      }
    }
    return G.String(v)
  }

  const s = sys
  // A regular file's mapping_gfp_mask: GFP_HIGHUSER_MOVABLE.
  const movableGfp = constants.GFP_HIGHUSER_MOVABLE
  const kernel = freeze({
    allocPages: guard(function (gfp: number, order: number) {
      const pfn = s.allocPages(gfp, order)
      return pfn < 0 ? null : folio(pfn)
    }),
    freePages: guard(function (f: unknown) {
      if (handleId(f) >= 0 && (f as FolioHandle).swapped) return s.handleRelease(handleId(f))
      const pfn = pfnOf(f, 'freePages')
      s.freePages(pfn, s.folioOrder(pfn))
    }),
    folioGet: guard(function (f: unknown) {
      s.folioGet(pfnOf(f, 'folioGet'))
    }),
    folioPut: guard(function (f: unknown) {
      if (handleId(f) >= 0 && (f as FolioHandle).swapped) return s.handleRelease(handleId(f))
      s.folioPut(pfnOf(f, 'folioPut'))
    }),
    touch: guard(function (f: unknown) {
      const id = handleId(f)
      if (id < 0) throw new G.TypeError('touch: expected a Folio (as returned by allocPages)')
      return s.touch(id)
    }),
    folioRefCount: guard(function (f: unknown) {
      return s.folioRefCount(pfnOf(f, 'folioRefCount'))
    }),
    getPageUnlessZero: guard(function (p: unknown) {
      const head = s.getPageUnlessZero(pfnArg(p, 'getPageUnlessZero'))
      return head < 0 ? null : folio(head)
    }),
    pin: guard(function (f: unknown) {
      s.pin(pfnOf(f, 'pin'))
    }),
    unpin: guard(function (f: unknown) {
      s.unpin(pfnOf(f, 'unpin'))
    }),
    folioLock: guard(function (f: unknown) {
      return s.folioLock(pfnOf(f, 'folioLock'))
    }),
    folioTrylock: guard(function (f: unknown) {
      return s.folioTrylock(pfnOf(f, 'folioTrylock'))
    }),
    folioUnlock: guard(function (f: unknown) {
      s.folioUnlock(pfnOf(f, 'folioUnlock'))
    }),
    folioStartWriteback: guard(function (f: unknown) {
      s.folioStartWriteback(pfnOf(f, 'folioStartWriteback'))
    }),
    folioEndWriteback: guard(function (f: unknown) {
      s.folioEndWriteback(pfnOf(f, 'folioEndWriteback'))
    }),
    folioWaitWriteback: guard(function (f: unknown) {
      return s.folioWaitWriteback(pfnOf(f, 'folioWaitWriteback'))
    }),
    folioMapcount: guard(function (f: unknown) {
      return s.folioMapcount(pfnOf(f, 'folioMapcount'))
    }),
    createProcess: guard(function (name: string) {
      const pid = s.processCreate(G.String(name))
      return freeze({
        name: G.String(name),
        pid: pid,
        map: guard(function (f: unknown) {
          return s.processMap(pid, pfnOf(f, 'map'))
        }),
        unmap: guard(function (f: unknown) {
          s.processUnmap(pid, pfnOf(f, 'unmap'))
        }),
        exit: guard(function () {
          s.processExit(pid)
        }),
        rssPages: guard(function () {
          return s.processRss(pid)
        }),
      })
    }),
    markDirty: guard(function (f: unknown) {
      s.markDirty(pfnOf(f, 'markDirty'))
    }),
    mlock: guard(function (f: unknown) {
      s.mlock(pfnOf(f, 'mlock'))
    }),
    munlock: guard(function (f: unknown) {
      s.munlock(pfnOf(f, 'munlock'))
    }),
    sysctl: freeze({
      get: guard(function (name: string) {
        return s.sysctlGet(G.String(name))
      }),
      set: guard(function (name: string, value: number) {
        s.sysctlSet(G.String(name), value)
      }),
    }),
    proc: freeze({
      buddyinfo: guard(function () {
        return s.procRead('/proc/buddyinfo')
      }),
      pagetypeinfo: guard(function () {
        return s.procRead('/proc/pagetypeinfo')
      }),
      vmstat: guard(function () {
        return s.procRead('/proc/vmstat')
      }),
    }),
    extfrag: freeze({
      unusableIndex: guard(function () {
        return s.procRead('/sys/kernel/debug/extfrag/unusable_index')
      }),
      fragmentationIndex: guard(function () {
        return s.procRead('/sys/kernel/debug/extfrag/extfrag_index')
      }),
    }),
    transparentHugepage: freeze({
      stat: guard(function (size: string, name: string) {
        const dir = `/sys/kernel/mm/transparent_hugepage/hugepages-${G.String(size)}`
        return +s.procRead(`${dir}/stats/${G.String(name)}`)
      }),
    }),
    vmstat: guard(function (name: string) {
      return s.vmstatValue(G.String(name))
    }),
    trace: freeze({
      on: guard(function (tracepoint: string, cb: (ev: unknown) => void) {
        if (typeof cb !== 'function') throw new G.TypeError('trace.on: callback must be a function')
        const id = s.traceOn(
          G.String(tracepoint),
          function (name: string, timeNs: number, json: string) {
            cb(freeze({ name: name, timeNs: timeNs, fields: freeze(G.JSON.parse(json)) }))
          },
        )
        return function off() {
          s.traceOff(id)
        }
      }),
    }),
    record: guard(function (name: string, value: number) {
      s.record(G.String(name), value)
    }),
    rng: freeze({
      next: guard(function () {
        return s.rngNext()
      }),
      float: guard(function () {
        return s.rngNext() / 4294967296
      }),
      int: guard(function (n: number) {
        if (!(n >= 1) || n > 4294967296 || n !== Math.floor(n)) {
          throw new G.RangeError('rng.int(n): n must be an integer in 1..2^32')
        }
        return Math.floor((s.rngNext() / 4294967296) * n)
      }),
    }),
    now: guard(function () {
      return s.now()
    }),
    sleep: guard(function (ns: number) {
      return s.sleep(ns)
    }),
    spawn: guard(function (
      name: string,
      fn: (k: unknown) => unknown,
      opts?: { cpu?: number; daemon?: boolean },
    ) {
      if (typeof fn !== 'function') throw new G.TypeError('spawn: fn must be a function')
      const o = opts || {}
      const cpu = o.cpu === undefined ? -1 : o.cpu
      const id = s.spawn(
        G.String(name),
        function () {
          return fn(kernel)
        },
        cpu,
        o.daemon === true,
      )
      return freeze({
        name: G.String(name),
        cpu: cpu < 0 ? null : cpu,
        join: guard(function () {
          return s.join(id)
        }),
      })
    }),
    progress: guard(function (fraction: number) {
      s.progress(fraction)
    }),
    filemapAddFolio: guard(function (order?: number, gfp?: number) {
      const pfn = s.filemapAddFolio(
        gfp === undefined ? movableGfp : gfp,
        order === undefined ? 0 : order,
      )
      return pfn < 0 ? null : folio(pfn)
    }),
    filemapRemoveFolio: guard(function (f: unknown) {
      s.filemapRemoveFolio(pfnOf(f, 'filemapRemoveFolio'))
    }),
    compactMemory: guard(function () {
      return freeze(parsed(s.compactMemory()))
    }),
    tryToCompactPages: guard(function (order: number, gfp: number, priority?: number) {
      return s.tryToCompactPages(order, gfp, priority === undefined ? 1 : priority)
    }),
    wakeKcompactd: guard(function (order: number) {
      return s.wakeKcompactd(order)
    }),
    migratePages: guard(function (
      folios: unknown,
      opts?: { mode?: string; reason?: string; gfp?: number },
    ) {
      if (!G.Array.isArray(folios))
        throw new G.TypeError('migratePages: expected an array of Folios')
      const pfns: number[] = []
      for (let i = 0; i < folios.length; i++) pfns.push(pfnOf(folios[i], 'migratePages'))
      const o = opts || {}
      return freeze(
        parsed(
          s.migratePages(
            G.JSON.stringify(pfns),
            o.mode === undefined ? 'sync' : G.String(o.mode),
            o.reason === undefined ? 'syscall_or_cpuset' : G.String(o.reason),
            o.gfp === undefined ? -1 : o.gfp,
          ),
        ),
      )
    }),
    cma: freeze({
      alloc: guard(function (name: string, count: number, align?: number) {
        const r = parsed(s.cmaAlloc(G.String(name), count, align === undefined ? 0 : align)) as {
          pfn: number | null
        }
        if (r.pfn !== null && r.pfn < 0) r.pfn = null
        return freeze(r)
      }),
      release: guard(function (name: string, pfn: number, count: number) {
        return s.cmaRelease(G.String(name), pfn, count)
      }),
      areas: guard(function () {
        return freeze(parsed(s.cmaAreas()))
      }),
    }),
    allocContigRange: guard(function (start: number, end: number, migratetype: number) {
      return freeze(parsed(s.allocContigRange(start, end, migratetype)))
    }),
    freeContigRange: guard(function (pfn: number, nrPages: number) {
      return s.freeContigRange(pfn, nrPages)
    }),
    virtioMem: freeze({
      request: guard(function (sizeMiB: number) {
        return freeze(parsed(s.virtioMemRequest(sizeMiB)))
      }),
    }),
    pfnWalker: freeze({
      armCompactionTargets: guard(function (n: number) {
        s.walkerArm(n)
      }),
      release: guard(function () {
        return s.walkerRelease()
      }),
    }),
    histogram: guard(function (name: string) {
      return parsed(s.histogram(G.String(name)))
    }),
  })

  function logger(level: 'info' | 'warn') {
    return function (...args: unknown[]) {
      s.log(level, args.map(show).join(' '))
    }
  }
  const console = freeze({
    log: logger('info'),
    info: logger('info'),
    debug: logger('info'),
    warn: logger('warn'),
    error: logger('warn'),
  })

  // Read through getters so that the values can follow the machine's geometry: the module is
  // evaluated (and imports 'mmwb') before its `machine` export is known; sucrase compiles
  // `MAX_PAGE_ORDER` to `_mmwb.MAX_PAGE_ORDER`, read at each use.
  const table: Record<string, number> = {}
  const mmwb = {}
  for (const key of G.Object.keys(constants)) {
    table[key] = constants[key]
    G.Object.defineProperty(mmwb, key, {
      enumerable: true,
      get: function () {
        return table[key]
      },
    })
  }
  freeze(mmwb)
  function setConstants(values: Record<string, number>): void {
    for (const key of G.Object.keys(values)) if (key in table) table[key] = values[key]
  }
  function requireShim(name: string): unknown {
    if (name === 'mmwb') return mmwb
    throw new G.Error(
      "Cannot find module '" +
        G.String(name) +
        "': workloads run in a sandbox and can import only 'mmwb'",
    )
  }
  return { kernel: kernel, require: requireShim, console: console, setConstants: setConstants }
}
