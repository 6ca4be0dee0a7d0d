/**
 * A virtio-mem device as plain data, for a snapshot of a run (engine/mm/snapshot.ts `run`
 * data): the device is held by whoever created it (engine/api's ContigOps, a test driver), not
 * by the machine, and refers to the machine, its zone and the hypervisor's callback, which are
 * not data. `virtioMemDeviceState` drops those three; `virtioMemDeviceFromState` puts them back
 * on a restored machine.
 */
import { pfnZone, type Machine } from '../mm/machine'
import { type VirtioMemDevice } from './device'
import { type VirtioMemResponse } from './types'

/** Every field of the device but its machine, zone and hypervisor callback. */
export type VirtioMemDeviceState = Omit<VirtioMemDevice, 'm' | 'zone' | 'respond'>

export function virtioMemDeviceState(dev: VirtioMemDevice): VirtioMemDeviceState {
  const { m: _m, zone: _zone, respond: _respond, ...data } = dev
  return data
}

/** The device of `state` on `m` (a restored machine); `respond` defaults to ACK everything. */
export function virtioMemDeviceFromState(
  m: Machine,
  state: VirtioMemDeviceState,
  respond: (type: number, startPfn: number, nrPages: number) => VirtioMemResponse = () => 'ack',
): VirtioMemDevice {
  const zone = pfnZone(m, state.regionStartPfn)
  if (zone === undefined)
    throw new RangeError(
      `virtio-mem: region start pfn ${state.regionStartPfn} is in no zone of the machine`,
    )
  return { ...state, m, zone, respond }
}
