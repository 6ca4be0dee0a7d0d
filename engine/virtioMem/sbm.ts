/**
 * Sub Block Mode (drivers/virtio/virtio_mem.c, virtio_mem_sbm_*): Linux memory blocks of the
 * region, each with `sbs_per_mb` sub-blocks and a plugged bitmap. Memory blocks are onlined as
 * they are added (to the zone holding the region), so the OFFLINE states stay unused.
 */
import { ZONE_MOVABLE } from '../mm/zoneType'
import { type ContigEnv, type ContigVariant } from '../contig'
import { type VirtioMemDevice, fakeOffline, fakeOnline, sendRequest } from './device'
import { type SbmMbState, EBUSY, ENOSPC, VIRTIO_MEM_REQ_PLUG, VIRTIO_MEM_REQ_UNPLUG } from './types'

function mbStartPfn(dev: VirtioMemDevice, mb: number): number {
  return dev.regionStartPfn + mb * dev.memoryBlockPages
}

function sbIndex(dev: VirtioMemDevice, mb: number, sb: number): number {
  return mb * dev.sbsPerMb + sb
}

/** `virtio_mem_sbm_test_sb_plugged` / `_unplugged` over `[sb, sb + count)`. */
function allSbs(
  dev: VirtioMemDevice,
  mb: number,
  sb: number,
  count: number,
  plugged: number,
): boolean {
  for (let i = sb; i < sb + count; i++)
    if (dev.sbPlugged[sbIndex(dev, mb, i)] !== plugged) return false
  return true
}

function setSbs(
  dev: VirtioMemDevice,
  mb: number,
  sb: number,
  count: number,
  plugged: number,
): void {
  dev.sbPlugged.fill(plugged, sbIndex(dev, mb, sb), sbIndex(dev, mb, sb + count))
}

/** State of an online memory block from its bitmap and zone. */
function onlineState(dev: VirtioMemDevice, mb: number): SbmMbState {
  const movable = dev.zone.type === ZONE_MOVABLE
  const full = allSbs(dev, mb, 0, dev.sbsPerMb, 1)
  if (movable) return full ? 'movable' : 'movable_partial'
  return full ? 'kernel' : 'kernel_partial'
}

/** `virtio_mem_sbm_plug_sb` on an online block + `virtio_mem_fake_online`. */
function plugSbOnline(
  dev: VirtioMemDevice,
  env: ContigEnv,
  mb: number,
  sb: number,
  count: number,
): number {
  const pfn = mbStartPfn(dev, mb) + sb * dev.sbPages
  const rc = sendRequest(dev, env, VIRTIO_MEM_REQ_PLUG, pfn, count * dev.sbPages)
  if (rc !== 0) return rc
  setSbs(dev, mb, sb, count, 1)
  dev.counters.unitsPlugged += count
  fakeOnline(dev, env, pfn, count * dev.sbPages)
  return 0
}

/** `virtio_mem_sbm_plug_any_sb`: fill unplugged sub-blocks of a partially plugged online block. */
function plugAnySb(
  dev: VirtioMemDevice,
  env: ContigEnv,
  mb: number,
  want: { nbSb: number },
): number {
  for (let sb = 0; sb < dev.sbsPerMb && want.nbSb > 0;) {
    if (dev.sbPlugged[sbIndex(dev, mb, sb)] !== 0) {
      sb++
      continue
    }
    let count = 1
    while (
      sb + count < dev.sbsPerMb &&
      count < want.nbSb &&
      dev.sbPlugged[sbIndex(dev, mb, sb + count)] === 0
    )
      count++
    const rc = plugSbOnline(dev, env, mb, sb, count)
    if (rc !== 0) return rc
    want.nbSb -= count
    sb += count
  }
  dev.mbState[mb] = onlineState(dev, mb)
  return 0
}

/**
 * `virtio_mem_sbm_plug_and_add_mb`: plug the first `count` sub-blocks, add the memory block and
 * online it; the online callback (`virtio_mem_online_page`) gives only plugged sub-blocks to the
 * buddy.
 */
function plugAndAddMb(
  dev: VirtioMemDevice,
  env: ContigEnv,
  mb: number,
  want: { nbSb: number },
): number {
  const count = Math.min(want.nbSb, dev.sbsPerMb)
  const pfn = mbStartPfn(dev, mb)
  const rc = sendRequest(dev, env, VIRTIO_MEM_REQ_PLUG, pfn, count * dev.sbPages)
  if (rc !== 0) return rc
  setSbs(dev, mb, 0, count, 1)
  dev.counters.unitsPlugged += count
  dev.mbState[mb] = count === dev.sbsPerMb ? 'plugged' : 'offline_partial'
  fakeOnline(dev, env, pfn, count * dev.sbPages)
  dev.mbState[mb] = onlineState(dev, mb)
  want.nbSb -= count
  return 0
}

/** `virtio_mem_sbm_plug_request(diff)`: partially plugged blocks first, then new blocks. */
export function sbmPlugRequest(dev: VirtioMemDevice, env: ContigEnv, diffPages: number): number {
  const want = { nbSb: Math.floor(diffPages / dev.sbPages) }
  if (want.nbSb === 0) return 0
  for (const state of ['offline_partial', 'kernel_partial', 'movable_partial'] as SbmMbState[]) {
    for (let mb = 0; mb < dev.mbState.length; mb++) {
      if (dev.mbState[mb] !== state) continue
      const rc = plugAnySb(dev, env, mb, want)
      if (rc !== 0 || want.nbSb === 0) return rc
    }
  }
  for (let mb = 0; mb < dev.mbState.length && want.nbSb > 0; mb++) {
    if (dev.mbState[mb] !== 'unused') continue
    const rc = plugAndAddMb(dev, env, mb, want)
    if (rc !== 0) return rc
  }
  return want.nbSb > 0 ? -ENOSPC : 0
}

/** `virtio_mem_sbm_unplug_sb_online`: fake-offline, send UNPLUG, give the memory back if refused. */
function unplugSbOnline(
  dev: VirtioMemDevice,
  env: ContigEnv,
  mb: number,
  sb: number,
  count: number,
  variant?: Partial<ContigVariant>,
): number {
  const nrPages = count * dev.sbPages
  const pfn = mbStartPfn(dev, mb) + sb * dev.sbPages
  let rc = fakeOffline(dev, env, pfn, nrPages, variant)
  if (rc !== 0) return rc
  rc = sendRequest(dev, env, VIRTIO_MEM_REQ_UNPLUG, pfn, nrPages)
  if (rc !== 0) {
    fakeOnline(dev, env, pfn, nrPages)
    return rc
  }
  setSbs(dev, mb, sb, count, 0)
  dev.counters.unitsUnplugged += count
  if (dev.mbState[mb] === 'kernel') dev.mbState[mb] = 'kernel_partial'
  else if (dev.mbState[mb] === 'movable') dev.mbState[mb] = 'movable_partial'
  return 0
}

/**
 * `virtio_mem_sbm_unplug_any_sb_online`: the whole block in one go if possible; with
 * `'max-order-first'`, MAX_ORDER-sized groups of sub-blocks next; then single sub-blocks, highest
 * first, skipping busy ones. A block left with nothing plugged is offlined and removed.
 */
function unplugAnySbOnline(
  dev: VirtioMemDevice,
  env: ContigEnv,
  mb: number,
  want: { nbSb: number },
  variant?: Partial<ContigVariant>,
): number {
  const n = dev.sbsPerMb
  let done = false
  if (want.nbSb >= n && allSbs(dev, mb, 0, n, 1)) {
    const rc = unplugSbOnline(dev, env, mb, 0, n, variant)
    if (rc === 0) {
      want.nbSb -= n
      done = true
    } else if (rc !== -EBUSY) return rc
  }
  const group = Math.floor((1 << dev.m.maxOrder) / dev.sbPages)
  if (!done && dev.unplugFallback === 'max-order-first' && group > 1) {
    for (let g = n - group; g >= 0 && want.nbSb >= group; g -= group) {
      if (!allSbs(dev, mb, g, group, 1)) continue
      const rc = unplugSbOnline(dev, env, mb, g, group, variant)
      if (rc === 0) want.nbSb -= group
      else if (rc !== -EBUSY) return rc
    }
  }
  for (let sb = n - 1; !done && sb >= 0 && want.nbSb > 0; sb--) {
    if (dev.sbPlugged[sbIndex(dev, mb, sb)] === 0) continue
    const rc = unplugSbOnline(dev, env, mb, sb, 1, variant)
    if (rc === -EBUSY) continue
    if (rc !== 0) return rc
    want.nbSb--
  }
  // virtio_mem_sbm_offline_and_remove_mb: the pages are all PageOffline already.
  if (allSbs(dev, mb, 0, n, 0)) dev.mbState[mb] = 'unused'
  return 0
}

/**
 * `virtio_mem_sbm_unplug_request(diff)`: memory blocks by state (OFFLINE_PARTIAL, OFFLINE,
 * MOVABLE_PARTIAL, KERNEL_PARTIAL, MOVABLE, KERNEL), each from the highest id down; online
 * blocks only with `unplug_online`. -EBUSY if sub-blocks remain to be unplugged.
 */
export function sbmUnplugRequest(
  dev: VirtioMemDevice,
  env: ContigEnv,
  diffPages: number,
  variant?: Partial<ContigVariant>,
): number {
  const want = { nbSb: Math.floor(diffPages / dev.sbPages) }
  if (want.nbSb === 0) return 0
  const order: SbmMbState[] = [
    'offline_partial',
    'offline',
    'movable_partial',
    'kernel_partial',
    'movable',
    'kernel',
  ]
  for (let i = 0; i < order.length; i++) {
    for (let mb = dev.mbState.length - 1; mb >= 0; mb--) {
      if (dev.mbState[mb] !== order[i]) continue
      const rc = unplugAnySbOnline(dev, env, mb, want, variant)
      if (rc !== 0 || want.nbSb === 0) return rc
    }
    if (!dev.unplugOnline && i === 1) return 0
  }
  return want.nbSb > 0 ? -EBUSY : 0
}
