/**
 * virtio-mem (drivers/virtio/virtio_mem.c, include/uapi/linux/virtio_mem.h): device config,
 * request/response codes, memory block and big block states, and the driver's view of one
 * device (kernel-model.md §6).
 */

/** `VIRTIO_MEM_REQ_*`. */
export const VIRTIO_MEM_REQ_PLUG = 0
export const VIRTIO_MEM_REQ_UNPLUG = 1
export const VIRTIO_MEM_REQ_UNPLUG_ALL = 2
export const VIRTIO_MEM_REQ_STATE = 3
/** `VIRTIO_MEM_RESP_*`: ACK, NACK (→ -EAGAIN), BUSY (→ -ETXTBSY), ERROR (→ -EINVAL). */
export type VirtioMemResponse = 'ack' | 'nack' | 'busy' | 'error'

export const EAGAIN = 11
export const ENOMEM = 12
export const EBUSY = 16
export const EINVAL = 22
export const ENOSPC = 28
export const ETXTBSY = 26

/** `enum virtio_mem_sbm_mb_state` (OFFLINE states are transient here: memory is onlined as it is added). */
export type SbmMbState =
  | 'unused'
  | 'plugged'
  | 'offline'
  | 'offline_partial'
  | 'kernel'
  | 'kernel_partial'
  | 'movable'
  | 'movable_partial'
/** `enum virtio_mem_bbm_bb_state`. */
export type BbmBbState = 'unused' | 'plugged' | 'added' | 'fake_offline'

export interface VirtioMemConfig {
  /** First pfn of the device region (`addr >> PAGE_SHIFT`), memory-block aligned. */
  regionStartPfn: number
  /** `region_size` (= `usable_region_size`) in pages, a multiple of the memory block size. */
  regionPages: number
  /** `block_size` (device block size) in pages, a power of two. Default 512 (2 MiB, QEMU's minimum on x86_64). */
  deviceBlockPages?: number
  /** `memory_block_size_bytes()` in pages. Default 32768 (128 MiB); smaller for small machines. */
  memoryBlockPages?: number
  /** Module parameter `force_bbm`. Default false. */
  forceBbm?: boolean
  /** Module parameter `bbm_block_size` in pages (power of two ≥ the default bb size). */
  bbmBlockPages?: number
  /** Module parameter `unplug_online`. Default true. */
  unplugOnline?: boolean
  /**
   * Sub-block size rule: `'pageblock'` [5.19/6.0+]: max(pageblock, device block);
   * `'max-order'` [≤5.18]: max(MAX_ORDER_NR_PAGES, pageblock, device block). Default pageblock.
   */
  sbAlignment?: 'max-order' | 'pageblock'
  /**
   * Unplug of an online memory block after the whole-block attempt fails: `'sub-block'`
   * (mainline: single sub-blocks, highest first) or `'max-order-first'` (seed 003, David
   * Hildenbrand: try MAX_ORDER-sized groups of sub-blocks first, then fall back to pageblock
   * sub-blocks in a failed group).
   */
  unplugFallback?: 'sub-block' | 'max-order-first'
  /** The hypervisor's answer to a request. Default: ACK everything inside the region. */
  respond?: (type: number, startPfn: number, nrPages: number) => VirtioMemResponse
}

/** Driver counters of one device (the model's; the kernel exposes only plugged/requested sizes). */
export interface VirtioMemCounters {
  plugRequests: number
  unplugRequests: number
  /** alloc_contig_range calls made by fake-offlining, and their outcomes. */
  fakeOfflineAttempts: number
  fakeOfflineSuccess: number
  fakeOfflineBusy: number
  fakeOfflineNomem: number
  /** Sub-blocks (SBM) or big blocks (BBM) plugged / unplugged. */
  unitsPlugged: number
  unitsUnplugged: number
  /** Pages migrated by all fake-offline attempts. */
  pagesMigrated: number
}

/** One run of the driver's work (`virtio_mem_run_wq`) toward the requested size. */
export interface VirtioMemRunRecord {
  kind: 'plug' | 'unplug' | 'none'
  /** Pages the run set out to plug or unplug. */
  diffPages: number
  /** Pages actually plugged or unplugged. */
  donePages: number
  rc: number
  outcome: 'success' | 'partial' | 'busy' | 'nomem' | 'error'
  startNs: number
  latencyNs: number
  pagesMigrated: number
  /** Delay before the driver's retry timer fires (0: none armed). */
  retryInNs: number
}
