/**
 * One alloc_contig_range request in flight: machine, zone, environment, variant and the record
 * being filled. `charge` advances simulated time and counts the time the zone spends below its
 * MIN watermark meanwhile (seed 004's measure of how hard a contiguous allocation squeezes
 * everybody else).
 */
import { type Machine } from '../mm/machine'
import { type Zone } from '../mm/zone'
import { type ReclaimEnv } from '../reclaim/types'
import {
  type ContigEnv,
  type ContigRequestRecord,
  type ContigVariant,
  DEFAULT_CONTIG_COSTS,
} from './types'

export interface ContigReq {
  m: Machine
  z: Zone
  env: ContigEnv
  v: ContigVariant
  rec: ContigRequestRecord
  /** `m.op` of the caller, restored at the end (violations name the operation in progress). */
  prevOp: string
}

export function newRecord(startPfn: number, endPfn: number, nowNs: number): ContigRequestRecord {
  return {
    startPfn,
    endPfn,
    ret: 0,
    outcome: 'success',
    failedAt: '',
    startNs: nowNs,
    latencyNs: 0,
    nrMigrated: 0,
    nrMigrateFailed: 0,
    nrReclaimedClean: 0,
    nrReclaimed: 0,
    nrTargetAllocStalls: 0,
    nrReclaimedOtherZones: 0,
    nrOomInvocations: 0,
    belowMinNs: 0,
    reclaimUnderZoneLockNs: 0,
    nrScanned: 0,
    blockerPfn: -1,
  }
}

/** True while the zone's free pages are below its MIN watermark. */
export function belowMin(z: Zone): boolean {
  return z.nrFreePages < z.wmarkMin
}

/** Advance the clock by `ns`, counting it as below-MIN time if the zone is below MIN now. */
export function charge(req: ContigReq, ns: number): void {
  if (ns <= 0) return
  if (belowMin(req.z)) req.rec.belowMinNs += ns
  req.env.clock.nowNs += ns
}

/** Account time a callee advanced itself since `sinceNs` (counted below MIN if the zone ends there). */
export function chargeSince(req: ContigReq, sinceNs: number, wasBelowMin: boolean): void {
  const ns = req.env.clock.nowNs - sinceNs
  if (ns > 0 && (wasBelowMin || belowMin(req.z))) req.rec.belowMinNs += ns
}

export function reclaimPageNs(req: ContigReq): number {
  return req.env.cost.reclaimPageNs ?? DEFAULT_CONTIG_COSTS.reclaimPageNs
}

export function drainAllPagesNs(req: ContigReq): number {
  return req.env.cost.drainAllPagesNs ?? DEFAULT_CONTIG_COSTS.drainAllPagesNs
}

export function fatalSignalPending(req: ContigReq): boolean {
  return req.env.fatalSignalPending !== undefined && req.env.fatalSignalPending()
}

/** The request's reclaim environment: the caller's, on the request's clock and costs. */
export function contigReclaimEnv(req: ContigReq): ReclaimEnv {
  const { env } = req
  return { ...env.reclaim, clock: env.clock, cost: env.cost }
}
