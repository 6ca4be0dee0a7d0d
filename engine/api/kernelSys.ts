/**
 * The primitive-only call table between the host and a script's realm (see guestKernel.ts
 * for why): every argument and result is a number, a string, a boolean, a promise created
 * with the script realm's Promise, or a function the guest passed in. Folios are named by
 * their head pfn. Errors are thrown as host errors and rethrown by the guest.
 */
export interface KernelSys {
  /** `alloc_pages(gfp, order)`: head pfn, or -1 when the allocation fails. */
  allocPages(gfp: number, order: number): number
  /** `__free_pages(page, order)`. */
  freePages(pfn: number, order: number): void
  folioGet(pfn: number): void
  folioPut(pfn: number): void
  folioRefCount(pfn: number): number
  /** Order of the allocation at `pfn`: the folio order, or a non-compound block's allocation order. */
  folioOrder(pfn: number): number
  /** Head pfn of the folio containing `pfn` after taking a reference, or -1 if its count was 0. */
  getPageUnlessZero(pfn: number): number
  pin(pfn: number): void
  unpin(pfn: number): void
  folioLock(pfn: number): Promise<void>
  folioTrylock(pfn: number): boolean
  folioUnlock(pfn: number): void
  folioStartWriteback(pfn: number): void
  folioEndWriteback(pfn: number): void
  folioWaitWriteback(pfn: number): Promise<void>
  markDirty(pfn: number): void
  folioMapcount(pfn: number): number
  processCreate(name: string): number
  /** Maps the folio into the process; returns the virtual address. */
  processMap(pid: number, pfn: number): number
  processUnmap(pid: number, pfn: number): void
  processExit(pid: number): void
  processRss(pid: number): number
  mlock(pfn: number): void
  munlock(pfn: number): void
  sysctlGet(name: string): number
  sysctlSet(name: string, value: number): void
  /** Text of a kernel file by path ('/proc/buddyinfo', '/sys/kernel/debug/extfrag/...'). */
  procRead(path: string): string
  vmstatValue(name: string): number
  traceOn(
    tracepoint: string,
    cb: (name: string, timeNs: number, fieldsJson: string) => void,
  ): number
  traceOff(id: number): void
  record(name: string, value: number): void
  /** Next 32-bit unsigned value of the run's seeded generator. */
  rngNext(): number
  now(): number
  sleep(ns: number): Promise<void>
  spawn(name: string, fn: () => unknown, cpu: number, daemon: boolean): number
  join(taskId: number): Promise<void>
  progress(fraction: number): void
  log(level: 'info' | 'warn', text: string): void

  // ---- folio handles that follow migration (folioHandles.ts) ----
  /** A new handle id for the folio whose head is `pfn`. */
  handleNew(pfn: number): number
  /** The head pfn the handle names now (-1 while its folio is swapped out). */
  handlePfn(id: number): number
  /** True while the handle's folio is swapped out. */
  handleSwapped(id: number): boolean
  /**
   * The order of the allocation the handle names: resident, `allocationOrder` of its pfn;
   * swapped out, the order of its swap entry (the folio's size does not change by swapping).
   */
  handleOrder(id: number): number
  /** munmap of a swapped-out folio's default mapping: frees its swap entry. */
  handleRelease(id: number): void
  /**
   * A workload access to the handle's folio: sets the PTE accessed bit (folio_mark_young), or
   * faults a swapped-out folio back in (do_swap_page). True when it was a swap-in (major fault).
   */
  touch(id: number): boolean

  /** filemap_alloc_folio + filemap_add_folio: head pfn of a clean page-cache folio, or -1. */
  filemapAddFolio(gfp: number, order: number): number
  /** filemap_remove_folio (truncation): the page cache's references go. */
  filemapRemoveFolio(pfn: number): void

  // ---- compaction, migration, contiguous allocation (mmOps.ts, contigOps.ts) ----
  /** vm.compact_memory; JSON `{results, latencyNs}`. */
  compactMemory(): string
  /** try_to_compact_pages; the compact_result name. */
  tryToCompactPages(order: number, gfp: number, prio: number): string
  wakeKcompactd(order: number): boolean
  /** JSON array of head pfns in; JSON outcome out. */
  migratePages(pfnsJson: string, mode: string, reason: string, gfp: number): string
  cmaAlloc(name: string, count: number, align: number): string
  cmaRelease(name: string, pfn: number, count: number): boolean
  /** JSON `{name, basePfn, count, orderPerBit, ...}[]`. */
  cmaAreas(): string
  allocContigRange(start: number, end: number, migratetype: number): string
  freeContigRange(pfn: number, nrPages: number): number
  virtioMemRequest(sizeMiB: number): string
  walkerArm(n: number): void
  walkerRelease(): number
  /** JSON of a histogram recorded so far, or 'null'. */
  histogram(name: string): string
}
