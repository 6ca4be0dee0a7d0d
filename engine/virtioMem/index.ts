/**
 * # engine/virtioMem: the virtio-mem driver (drivers/virtio/virtio_mem.c)
 *
 * `createVirtioMemDevice(m, cfg)` sets up a device over a region of the machine and picks Sub
 * Block Mode (sub-block = max(pageblock, device block) [5.19+], or MAX_ORDER-sized [≤5.18], if
 * smaller than a memory block) or Big Block Mode. `virtioMemSetRequestedSize(dev, pages)` is
 * the hypervisor's request; `virtioMemRun(dev, env, variant?)` is one run of the driver's work:
 * plug (fill partial memory blocks, then add new ones; only plugged sub-blocks reach the buddy)
 * or unplug (memory blocks by state, highest first; whole block, then — with `'max-order-first'`
 * — MAX_ORDER groups, then single sub-blocks; each fake-offlined through alloc_contig_range with
 * 5 tries in ZONE_MOVABLE and 1 elsewhere, then UNPLUG). The run record gives the outcome
 * (success, partial, busy, nomem, error), latency in simulated ns, pages migrated and the retry
 * timer; the device keeps counters; every run is a point of `contigSeries(m)`.
 *
 * ## Where the model departs from the kernel
 * - No memory hot-add in engine/mm: the region sits inside an existing zone; its pages start
 *   PageOffline (allocated, refcount 1, unmanaged) and plugging gives them to the buddy.
 *   Memory blocks are onlined as they are added, to that zone; OFFLINE states do not occur and
 *   `offline_pages` is not modelled (removing a fully unplugged block is a state change).
 * - `offline_threshold`, memory groups, kdump and the `unplug_all` path are not modelled;
 *   `-EAGAIN` reruns are capped at 8 per run.
 * - The request round trip costs VIRTIO_MEM_REQUEST_NS (20 µs); the hypervisor answers through
 *   `cfg.respond` (default: ACK).
 */
export * from './types'
export {
  type VirtioMemDevice,
  createVirtioMemDevice,
  sendRequest,
  fakeOnline,
  fakeOffline,
  rangeIsOffline,
  VIRTIO_MEM_REQUEST_NS,
  VIRTIO_MEM_RETRY_TIMER_MIN_NS,
  VIRTIO_MEM_RETRY_TIMER_MAX_NS,
} from './device'
export { sbmPlugRequest, sbmUnplugRequest } from './sbm'
export { bbmPlugRequest, bbmUnplugRequest } from './bbm'
export { virtioMemRun, virtioMemSetRequestedSize } from './run'
export {
  type VirtioMemDeviceState,
  virtioMemDeviceState,
  virtioMemDeviceFromState,
} from './snapshot'
