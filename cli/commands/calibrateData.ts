/**
 * Reading the calibration records for `mmwb calibrate`: `<root>/<dir>/<case>.json` and
 * `<root>/<dir>/proc/<case>/start/{buddyinfo,pagetypeinfo}`, laid out as
 * /work/shared/calibration is (the repository keeps a copy in resources/calibration).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CalibrationCase, type CaseData, type GuestRecord } from '../../engine/calibration'
import { UsageError } from '../args'

export const DEFAULT_CALIBRATION_DATA = join(__dirname, '..', '..', 'resources', 'calibration')

function readText(path: string): string {
  if (!existsSync(path)) throw new UsageError(`calibration data: ${path} does not exist`)
  return readFileSync(path, 'utf8')
}

export function readCaseData(root: string, c: CalibrationCase): CaseData {
  const dir = join(root, c.dir)
  const jsonPath = join(dir, `${c.id}.json`)
  let record: GuestRecord
  try {
    record = JSON.parse(readText(jsonPath)) as GuestRecord
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`calibration data: ${jsonPath} is not valid JSON: ${(e as Error).message}`)
  }
  if (typeof record !== 'object' || record === null || typeof record.kv !== 'object')
    throw new UsageError(`calibration data: ${jsonPath} has no "kv" object`)
  const start = join(dir, 'proc', c.id, 'start')
  return {
    record,
    startBuddyinfo: readText(join(start, 'buddyinfo')),
    startPagetypeinfo: readText(join(start, 'pagetypeinfo')),
  }
}
