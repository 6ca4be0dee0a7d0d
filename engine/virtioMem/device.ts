/**
 * One virtio-mem device as the driver sees it: `virtio_mem_init_hotplug` (sub-block size per
 * era, Sub Block Mode or Big Block Mode), the device requests, and the page-level work
 * (`virtio_mem_fake_online`, `virtio_mem_fake_offline`).
 *
 * engine/mm cannot hot-add memory, so the device region lives inside an existing zone: at
 * device creation its pages are taken out of the buddy allocator and marked PageOffline
 * (allocated, refcount 1, not managed), as memory the device has not plugged. "Adding and
 * onlining" a memory block is a state change; plugging gives the plugged sub-blocks to the
 * buddy as `generic_online_page` would, and unplugging takes them back through
 * alloc_contig_range.
 */
import { recomputeWatermarks } from '../mm/boot'
import { FPI_TO_TAIL, freeOnePageLocked } from '../mm/buddy'
import { pfnZone, type Machine } from '../mm/machine'
import { PAGE_ALLOC, PAGE_TYPE_OFFLINE, setPageFlags, pageFlags } from '../mm/memmap'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { type Zone } from '../mm/zone'
import { ZONE_MOVABLE } from '../mm/zoneType'
import { VM_PGFREE } from '../mm/vmstatItems'
import {
  allocContigRange,
  reserveRangeFromBuddy,
  type ContigEnv,
  type ContigVariant,
} from '../contig'
import {
  type BbmBbState,
  type SbmMbState,
  type VirtioMemConfig,
  type VirtioMemCounters,
  type VirtioMemResponse,
  EAGAIN,
  EBUSY,
  EINVAL,
  ENOMEM,
  ETXTBSY,
  VIRTIO_MEM_REQ_PLUG,
} from './types'

/** Cost of one request round trip to the hypervisor (virtqueue kick, VM exit, response). */
export const VIRTIO_MEM_REQUEST_NS = 20_000

export interface VirtioMemDevice {
  m: Machine
  zone: Zone
  regionStartPfn: number
  regionPages: number
  deviceBlockPages: number
  memoryBlockPages: number
  /** `vm->in_sbm`. */
  inSbm: boolean
  /** SBM: `sbm.sb_size` and `sbs_per_mb`. */
  sbPages: number
  sbsPerMb: number
  /** BBM: `bbm.bb_size`. */
  bbPages: number
  /** SBM: per sub-block of the region, 1 if plugged. */
  sbPlugged: Uint8Array
  /** SBM: per memory block of the region. */
  mbState: SbmMbState[]
  /** BBM: per big block of the region. */
  bbState: BbmBbState[]
  /** `plugged_size` / `requested_size` in pages. */
  pluggedPages: number
  requestedPages: number
  unplugOnline: boolean
  unplugFallback: 'sub-block' | 'max-order-first'
  respond: (type: number, startPfn: number, nrPages: number) => VirtioMemResponse
  counters: VirtioMemCounters
  /** The retry timer's next delay (`retry_timer_ms`): 50 s doubling to 300 s, reset on success. */
  retryDelayNs: number
  /** Set when a request failed in a way the driver cannot recover from. */
  broken: boolean
}

export const VIRTIO_MEM_RETRY_TIMER_MIN_NS = 50e9
export const VIRTIO_MEM_RETRY_TIMER_MAX_NS = 300e9

function isPow2(x: number): boolean {
  return x > 0 && (x & (x - 1)) === 0
}

/** Create the device and run `virtio_mem_init_hotplug`'s mode choice. */
export function createVirtioMemDevice(m: Machine, cfg: VirtioMemConfig): VirtioMemDevice {
  const deviceBlockPages = cfg.deviceBlockPages ?? 512
  const memoryBlockPages = cfg.memoryBlockPages ?? 32768
  const { regionStartPfn, regionPages } = cfg
  if (!isPow2(deviceBlockPages))
    throw new RangeError('virtio-mem: block_size must be a power of two')
  if (!isPow2(memoryBlockPages) || memoryBlockPages < m.pageblockNrPages)
    throw new RangeError('virtio-mem: memory block size must be a power of two ≥ a pageblock')
  const zone = pfnZone(m, regionStartPfn)
  if (zone === undefined || regionStartPfn + regionPages > zone.endPfn)
    throw new RangeError('virtio-mem: the device region must lie inside one zone of the machine')
  const sbUnit =
    cfg.sbAlignment === 'max-order'
      ? Math.max(1 << m.maxOrder, m.pageblockNrPages)
      : m.pageblockNrPages
  const sbPages = Math.max(sbUnit, deviceBlockPages)
  const inSbm = sbPages < memoryBlockPages && cfg.forceBbm !== true
  let bbPages = Math.max(deviceBlockPages, memoryBlockPages)
  if (
    !inSbm &&
    cfg.bbmBlockPages !== undefined &&
    isPow2(cfg.bbmBlockPages) &&
    cfg.bbmBlockPages >= bbPages
  )
    bbPages = cfg.bbmBlockPages
  const unit = inSbm ? memoryBlockPages : bbPages
  if (regionStartPfn % unit !== 0 || regionPages % unit !== 0 || regionPages === 0) {
    throw new RangeError(
      `virtio-mem: region [${regionStartPfn}, +${regionPages}) must be a non-empty multiple of ${inSbm ? 'the memory block' : 'the big block'} size (${unit} pages), aligned`,
    )
  }
  reserveRangeFromBuddy(m, regionStartPfn, regionStartPfn + regionPages, PAGE_TYPE_OFFLINE)
  zone.managedPages -= regionPages
  recomputeWatermarks(m)
  return {
    m,
    zone,
    regionStartPfn,
    regionPages,
    deviceBlockPages,
    memoryBlockPages,
    inSbm,
    sbPages,
    sbsPerMb: memoryBlockPages / sbPages,
    bbPages,
    sbPlugged: new Uint8Array(inSbm ? regionPages / sbPages : 0),
    mbState: inSbm ? new Array<SbmMbState>(regionPages / memoryBlockPages).fill('unused') : [],
    bbState: inSbm ? [] : new Array<BbmBbState>(regionPages / bbPages).fill('unused'),
    pluggedPages: 0,
    requestedPages: 0,
    unplugOnline: cfg.unplugOnline ?? true,
    unplugFallback: cfg.unplugFallback ?? 'sub-block',
    respond: cfg.respond ?? (() => 'ack'),
    counters: {
      plugRequests: 0,
      unplugRequests: 0,
      fakeOfflineAttempts: 0,
      fakeOfflineSuccess: 0,
      fakeOfflineBusy: 0,
      fakeOfflineNomem: 0,
      unitsPlugged: 0,
      unitsUnplugged: 0,
      pagesMigrated: 0,
    },
    retryDelayNs: VIRTIO_MEM_RETRY_TIMER_MIN_NS,
    broken: false,
  }
}

/**
 * `virtio_mem_send_plug_request` / `virtio_mem_send_unplug_request`: ACK updates
 * `plugged_size`; NACK → -EAGAIN, BUSY → -ETXTBSY, ERROR → -EINVAL.
 */
export function sendRequest(
  dev: VirtioMemDevice,
  env: ContigEnv,
  type: number,
  startPfn: number,
  nrPages: number,
): number {
  env.clock.nowNs += VIRTIO_MEM_REQUEST_NS
  if (type === VIRTIO_MEM_REQ_PLUG) dev.counters.plugRequests++
  else dev.counters.unplugRequests++
  const resp = dev.respond(type, startPfn, nrPages)
  if (resp === 'ack') {
    dev.pluggedPages += type === VIRTIO_MEM_REQ_PLUG ? nrPages : -nrPages
    return 0
  }
  return resp === 'nack' ? -EAGAIN : resp === 'busy' ? -ETXTBSY : -EINVAL
}

/**
 * `virtio_mem_fake_online` / `generic_online_page`: give PageOffline pages to the buddy in
 * the largest aligned chunks (≤ MAX_ORDER), to the tail of the free lists; `managed_pages` grows.
 */
export function fakeOnline(
  dev: VirtioMemDevice,
  env: ContigEnv,
  pfn: number,
  nrPages: number,
): void {
  const m = dev.m
  let order = m.maxOrder
  while (((pfn | nrPages) & ((1 << order) - 1)) !== 0) order--
  for (let p = pfn; p < pfn + nrPages; p++) {
    setPageFlags(m, p, 0)
    m.refcount[p] = 0
  }
  for (let p = pfn; p < pfn + nrPages; p += 1 << order) {
    freeOnePageLocked(m, dev.zone, p, order, getPfnblockMigratetype(m, p), FPI_TO_TAIL)
    m.vmEvents[VM_PGFREE] += 1 << order
    env.clock.nowNs += env.cost.freeNs
  }
  dev.zone.managedPages += nrPages
}

/**
 * `virtio_mem_fake_offline`: alloc_contig_range(MOVABLE), up to 5 tries in ZONE_MOVABLE and
 * once elsewhere; -ENOMEM stops at once. On success the pages become PageOffline and leave
 * `managed_pages`. Returns 0, -EBUSY or -ENOMEM.
 */
export function fakeOffline(
  dev: VirtioMemDevice,
  env: ContigEnv,
  pfn: number,
  nrPages: number,
  variant?: Partial<ContigVariant>,
): number {
  const m = dev.m
  const movable = dev.zone.type === ZONE_MOVABLE
  for (let retry = 0; retry < 5; retry++) {
    dev.counters.fakeOfflineAttempts++
    const rec = allocContigRange(m, pfn, pfn + nrPages, MIGRATE_MOVABLE, env, variant)
    dev.counters.pagesMigrated += rec.nrMigrated
    if (rec.ret === -ENOMEM) {
      dev.counters.fakeOfflineNomem++
      return rec.ret
    }
    if (rec.ret !== 0) {
      dev.counters.fakeOfflineBusy++
      if (!movable) break
      continue
    }
    for (let p = pfn; p < pfn + nrPages; p++)
      setPageFlags(m, p, pageFlags(m, p) | PAGE_TYPE_OFFLINE)
    dev.zone.managedPages -= nrPages
    dev.counters.fakeOfflineSuccess++
    return 0
  }
  return -EBUSY
}

/** True if every page of the range is PageOffline (plugged-out memory). */
export function rangeIsOffline(dev: VirtioMemDevice, pfn: number, nrPages: number): boolean {
  for (let p = pfn; p < pfn + nrPages; p++)
    if (
      (pageFlags(dev.m, p) & (PAGE_ALLOC | PAGE_TYPE_OFFLINE)) !==
      (PAGE_ALLOC | PAGE_TYPE_OFFLINE)
    )
      return false
  return true
}
