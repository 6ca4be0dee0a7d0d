import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createMachine, parseMachineConfig, vmstat } from '../mm'
import { importMachine } from './importApply'
import { QEMU_1GIB_X86_64_GEOMETRY } from './importPlan'
import { PROC_FILES, readProcFile, type ProcFile } from './machineProc'
import { parseVmstat, VMSTAT_ORDER } from './vmstat'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')

describe('readProcFile', () => {
  it('prints the imported real files back from the machine', () => {
    const buddyinfo = read('w1_p2k1/hp_before/buddyinfo')
    const pagetypeinfo = read('w1_p2k1/hp_before/pagetypeinfo')
    const m = importMachine(buddyinfo, pagetypeinfo, {
      geometry: QEMU_1GIB_X86_64_GEOMETRY,
      config: { kernelEra: '6.1' },
    })
    expect(readProcFile(m, '/proc/buddyinfo')).toBe(buddyinfo)
    expect(readProcFile(m, '/proc/pagetypeinfo', { cma: false })).toBe(pagetypeinfo)
  })

  it('a freshly booted 4 GiB machine: every block free at order 10, order 10 always succeeds', () => {
    // memblock_free_all hands everything over in order-10 blocks (MAX_PAGE_ORDER).
    const m = createMachine(parseMachineConfig({ memoryMiB: 4096 }))
    const buddy = readProcFile(m, '/proc/buddyinfo').split('\n')
    expect(buddy[0]).toMatch(/^Node 0, zone {6}DMA( +\d+){11} $/)
    const unusable = readProcFile(m, '/sys/kernel/debug/extfrag/unusable_index').split('\n')
    const dma32 = unusable.find((l) => l.includes('DMA32'))
    expect(dma32).toBe('Node 0, zone    DMA32 ' + '0.000 '.repeat(11))
    const extfrag = readProcFile(m, '/sys/kernel/debug/extfrag/extfrag_index')
    expect(extfrag.split('\n').find((l) => l.includes('DMA32'))).toBe(
      'Node 0, zone    DMA32 ' + '-1.000 '.repeat(11),
    )
    const pti = readProcFile(m, '/proc/pagetypeinfo')
    expect(pti).toContain('          CMA      Isolate \n')
  })

  it('/proc/vmstat: kernel names in kernel order, ending with nr_unstable 0', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 256 }))
    const entries = parseVmstat(readProcFile(m, '/proc/vmstat'))
    const unknown = entries.filter(([n]) => !VMSTAT_ORDER.includes(n)).map(([n]) => n)
    expect(unknown).toEqual([])
    const ranks = entries.map(([n]) => VMSTAT_ORDER.indexOf(n))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(entries.at(-1)).toEqual(['nr_unstable', 0])
    expect(entries.length).toBe(vmstat(m).length + 1)
    const free = entries.find(([n]) => n === 'nr_free_pages')![1]
    // Freshly booted: every managed page is free; the first MiB, the 6.12 image (9602 pages)
    // and the memmap (1024) are not.
    expect(free).toBe(256 * 256 - 256 - 9602 - 1024)
  })

  it('names the known files when asked for another', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 64 }))
    expect(() => readProcFile(m, '/proc/zoneinfo' as ProcFile)).toThrow(/known: \/proc\/buddyinfo/)
    expect(PROC_FILES).toHaveLength(5)
  })
})
