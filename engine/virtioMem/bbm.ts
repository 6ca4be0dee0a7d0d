/**
 * Big Block Mode (drivers/virtio/virtio_mem.c, virtio_mem_bbm_*): the region is handled in big
 * blocks of max(device block, memory block) (or `bbm_block_size`), plugged and added whole, and
 * unplugged whole. With `bbm_safe_unplug` (the default) each memory block of a big block is
 * fake-offlined first, so busy memory is found before anything is removed.
 */
import { ZONE_MOVABLE } from '../mm/zoneType'
import { type ContigEnv, type ContigVariant } from '../contig'
import { type VirtioMemDevice, fakeOffline, fakeOnline, sendRequest } from './device'
import { EBUSY, ENOSPC, VIRTIO_MEM_REQ_PLUG, VIRTIO_MEM_REQ_UNPLUG } from './types'

function bbStartPfn(dev: VirtioMemDevice, bb: number): number {
  return dev.regionStartPfn + bb * dev.bbPages
}

/** `virtio_mem_bbm_plug_request(diff)`: plug, add and online whole big blocks, lowest first. */
export function bbmPlugRequest(dev: VirtioMemDevice, env: ContigEnv, diffPages: number): number {
  let nbBb = Math.floor(diffPages / dev.bbPages)
  for (let bb = 0; bb < dev.bbState.length && nbBb > 0; bb++) {
    if (dev.bbState[bb] !== 'unused') continue
    const pfn = bbStartPfn(dev, bb)
    const rc = sendRequest(dev, env, VIRTIO_MEM_REQ_PLUG, pfn, dev.bbPages)
    if (rc !== 0) return rc
    dev.bbState[bb] = 'plugged'
    fakeOnline(dev, env, pfn, dev.bbPages)
    dev.bbState[bb] = 'added'
    dev.counters.unitsPlugged++
    nbBb--
  }
  return nbBb > 0 ? -ENOSPC : 0
}

/**
 * `virtio_mem_bbm_offline_remove_and_unplug_bb`: fake-offline every memory block of the big
 * block (bbm_safe_unplug), then offline/remove and send UNPLUG; any failure gives the memory
 * back.
 */
function offlineRemoveAndUnplugBb(
  dev: VirtioMemDevice,
  env: ContigEnv,
  bb: number,
  variant?: Partial<ContigVariant>,
): number {
  const start = bbStartPfn(dev, bb)
  const step = Math.min(dev.memoryBlockPages, dev.bbPages)
  let pfn = start
  let rc = 0
  for (; pfn < start + dev.bbPages; pfn += step) {
    rc = fakeOffline(dev, env, pfn, step, variant)
    if (rc !== 0) break
  }
  if (rc === 0) rc = sendRequest(dev, env, VIRTIO_MEM_REQ_UNPLUG, start, dev.bbPages)
  if (rc !== 0) {
    const end = rc !== 0 && pfn < start + dev.bbPages ? pfn : start + dev.bbPages
    if (end > start) fakeOnline(dev, env, start, end - start)
    return rc
  }
  dev.bbState[bb] = 'unused'
  dev.counters.unitsUnplugged++
  return 0
}

/**
 * `virtio_mem_bbm_unplug_request(diff)`: added big blocks from the highest down, in three
 * passes (offline ones, movable ones, any); busy ones are skipped.
 */
export function bbmUnplugRequest(
  dev: VirtioMemDevice,
  env: ContigEnv,
  diffPages: number,
  variant?: Partial<ContigVariant>,
): number {
  let nbBb = Math.floor(diffPages / dev.bbPages)
  if (nbBb === 0) return 0
  const movable = dev.zone.type === ZONE_MOVABLE
  for (let pass = 0; pass < 3; pass++) {
    for (let bb = dev.bbState.length - 1; bb >= 0; bb--) {
      if (dev.bbState[bb] !== 'added') continue
      if (pass === 0) continue // no big block is ever left offline in the model
      if (pass === 1 && !movable) continue
      const rc = offlineRemoveAndUnplugBb(dev, env, bb, variant)
      if (rc === -EBUSY) continue
      if (rc === 0) nbBb--
      if (rc !== 0 || nbBb === 0) return rc
    }
    if (pass === 0 && !dev.unplugOnline) return 0
  }
  return nbBb > 0 ? -EBUSY : 0
}
