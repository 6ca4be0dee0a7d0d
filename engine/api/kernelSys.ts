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
}
