/**
 * `virtio_mem_run_wq`: move `plugged_size` toward `requested_size`, then handle the result as
 * the driver does (retry timer of 50 s doubling to 300 s on -EBUSY/-ETXTBSY/-ENOMEM, reset on
 * success; -EAGAIN reruns at once; -ENOSPC stops; anything else marks the device broken).
 */
import { type ContigEnv, type ContigVariant, recordContig } from '../contig'
import { bbmPlugRequest, bbmUnplugRequest } from './bbm'
import {
  type VirtioMemDevice,
  VIRTIO_MEM_RETRY_TIMER_MAX_NS,
  VIRTIO_MEM_RETRY_TIMER_MIN_NS,
} from './device'
import { sbmPlugRequest, sbmUnplugRequest } from './sbm'
import { type VirtioMemRunRecord, EAGAIN, EBUSY, ENOMEM, ENOSPC, ETXTBSY } from './types'

/** The hypervisor changes `requested_size` (a multiple of the device block size, within the region). */
export function virtioMemSetRequestedSize(dev: VirtioMemDevice, nrPages: number): void {
  if (
    !Number.isInteger(nrPages) ||
    nrPages < 0 ||
    nrPages > dev.regionPages ||
    nrPages % dev.deviceBlockPages !== 0
  ) {
    throw new RangeError(
      `virtio-mem: requested size ${nrPages} must be a multiple of the block size (${dev.deviceBlockPages}) within the region (${dev.regionPages})`,
    )
  }
  dev.requestedPages = nrPages
}

/** Runs of the work function with -EAGAIN reruns before giving up (the kernel reruns without bound). */
const MAX_EAGAIN_RERUNS = 8

export function virtioMemRun(
  dev: VirtioMemDevice,
  env: ContigEnv,
  variant?: Partial<ContigVariant>,
): VirtioMemRunRecord {
  const startNs = env.clock.nowNs
  const before = dev.pluggedPages
  const migratedBefore = dev.counters.pagesMigrated
  const diff = dev.requestedPages - dev.pluggedPages
  const kind = diff > 0 ? 'plug' : diff < 0 ? 'unplug' : 'none'
  let rc = 0
  for (let i = 0; i < MAX_EAGAIN_RERUNS && !dev.broken; i++) {
    const d = dev.requestedPages - dev.pluggedPages
    if (d > 0) rc = dev.inSbm ? sbmPlugRequest(dev, env, d) : bbmPlugRequest(dev, env, d)
    else if (d < 0)
      rc = dev.inSbm
        ? sbmUnplugRequest(dev, env, -d, variant)
        : bbmUnplugRequest(dev, env, -d, variant)
    else rc = 0
    if (rc !== -EAGAIN) break
  }
  let retryInNs = 0
  if (rc === 0) dev.retryDelayNs = VIRTIO_MEM_RETRY_TIMER_MIN_NS
  else if (rc === -EBUSY || rc === -ETXTBSY || rc === -ENOMEM) {
    retryInNs = dev.retryDelayNs
    dev.retryDelayNs = Math.min(dev.retryDelayNs * 2, VIRTIO_MEM_RETRY_TIMER_MAX_NS)
  } else if (rc !== -ENOSPC && rc !== -EAGAIN) dev.broken = true
  const donePages = Math.abs(dev.pluggedPages - before)
  const diffPages = Math.abs(diff)
  const outcome: VirtioMemRunRecord['outcome'] =
    donePages >= diffPages && rc === 0
      ? 'success'
      : rc === -ENOMEM && donePages === 0
        ? 'nomem'
        : donePages > 0
          ? 'partial'
          : rc === -EBUSY || rc === -ETXTBSY || rc === -ENOMEM
            ? 'busy'
            : rc === 0
              ? 'success'
              : 'error'
  const rec: VirtioMemRunRecord = {
    kind,
    diffPages,
    donePages,
    rc,
    outcome,
    startNs,
    latencyNs: env.clock.nowNs - startNs,
    pagesMigrated: dev.counters.pagesMigrated - migratedBefore,
    retryInNs,
  }
  if (kind !== 'none') {
    const seriesOutcome = outcome === 'error' ? 'busy' : outcome
    recordContig(dev.m, kind === 'plug' ? 'virtio_mem_plug' : 'virtio_mem_unplug', {
      tNs: startNs,
      outcome: seriesOutcome,
      latencyNs: rec.latencyNs,
      pagesMigrated: rec.pagesMigrated,
      nrPages: diffPages,
    })
  }
  return rec
}
