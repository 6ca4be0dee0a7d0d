/**
 * The engine-wide vmstat and trace registry: every module's counters print in /proc/vmstat
 * under the kernel's names (mm/vmstat.c:vmstat_text), per-node gauges sum over nodes
 * (global_node_page_state), and every tracepoint is reachable with traceSubscribe.
 */
import { describe, expect, it } from 'vitest'
import { createMachine } from './boot'
import { parseMachineConfig } from './config'
import { restoreMachine, snapshot } from './snapshot'
import { testMachine } from './testing'
import { emitTrace, traceEnabled, traceSubscribe, traceSubscribeAll } from './trace'
import {
  NR_TRACE_EVENTS,
  TP_MM_COMPACTION_BEGIN,
  TP_MM_COMPACTION_END,
  TP_MM_COMPACTION_KCOMPACTD_SLEEP,
  TRACE_EVENT_NAMES,
  type TraceEvent,
} from './traceTypes'
import { countVmEvent, modNodePageState, nodePageState, vmEventCount, vmstat } from './vmstat'
import {
  NR_ISOLATED_ANON,
  NR_ISOLATED_FILE,
  VM_COMPACTSTALL,
  VM_EVENT_ITEMS,
  type VmEventName,
} from './vmstatItems'

describe('vm event counters (count_vm_events) in /proc/vmstat', () => {
  it('every registered item prints under its vmstat_text name', () => {
    const m = testMachine()
    const names = Object.keys(VM_EVENT_ITEMS) as VmEventName[]
    names.forEach((n, i) => countVmEvent(m, VM_EVENT_ITEMS[n], i + 1))
    const lines = new Map(vmstat(m))
    names.forEach((n, i) => expect(lines.get(n), n).toBe(i + 1))
    expect(vmEventCount(m, VM_COMPACTSTALL)).toBe(names.indexOf('compact_stall') + 1)
  })

  it('prints the compaction counters in vmstat_text order, after thp_migration_split', () => {
    const names = vmstat(testMachine()).map(([n]) => n)
    const i = names.indexOf('thp_migration_split')
    expect(names.slice(i + 1, i + 10)).toEqual([
      'compact_migrate_scanned',
      'compact_free_scanned',
      'compact_isolated',
      'compact_stall',
      'compact_fail',
      'compact_success',
      'compact_daemon_wake',
      'compact_daemon_migrate_scanned',
      'compact_daemon_free_scanned',
    ])
  })

  it('nr_isolated_anon/file are per-node gauges summed over the nodes', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 256, nrNodes: 2, nrCpus: 2 }))
    modNodePageState(m, 0, NR_ISOLATED_ANON, 32)
    modNodePageState(m, 1, NR_ISOLATED_ANON, 512)
    modNodePageState(m, 1, NR_ISOLATED_FILE, 4)
    expect(nodePageState(m, 1, NR_ISOLATED_ANON)).toBe(512)
    const lines = new Map(vmstat(m))
    expect(lines.get('nr_isolated_anon')).toBe(544)
    expect(lines.get('nr_isolated_file')).toBe(4)
    modNodePageState(m, 0, NR_ISOLATED_ANON, -32)
    expect(new Map(vmstat(m)).get('nr_isolated_anon')).toBe(512)
  })

  it('snapshots keep the counters, the node gauges and totalcma_pages', () => {
    const m = testMachine()
    countVmEvent(m, VM_COMPACTSTALL, 3)
    modNodePageState(m, 0, NR_ISOLATED_FILE, 7)
    m.totalcmaPages = 1024
    const r = restoreMachine(snapshot(m))
    expect(vmEventCount(r, VM_COMPACTSTALL)).toBe(3)
    expect(nodePageState(r, 0, NR_ISOLATED_FILE)).toBe(7)
    expect(r.totalcmaPages).toBe(1024)
  })
})

describe('trace registry', () => {
  it('every tracepoint of every module can be subscribed by name', () => {
    const m = testMachine()
    expect(TRACE_EVENT_NAMES).toHaveLength(NR_TRACE_EVENTS)
    expect(new Set(TRACE_EVENT_NAMES).size).toBe(NR_TRACE_EVENTS)
    for (const n of [
      'mm_migrate_pages',
      'test_pages_isolated',
      'cma_alloc_busy_retry',
      'mm_compaction_isolate_freepages',
      'mm_compaction_kcompactd_wake',
    ] as const)
      expect(TRACE_EVENT_NAMES).toContain(n)
    const off = traceSubscribeAll(m, () => {})
    for (let id = 0; id < NR_TRACE_EVENTS; id++) expect(traceEnabled(m, id)).toBe(true)
    off()
    for (let id = 0; id < NR_TRACE_EVENTS; id++) expect(m.traceOn[id]).toBe(0)
  })

  it('emitTrace delivers a compaction event with its fields to its subscribers only', () => {
    const m = testMachine()
    const got: TraceEvent[] = []
    traceSubscribe(m, 'mm_compaction_begin', (e) => got.push(e))
    traceSubscribe(m, 'mm_compaction_end', (e) => got.push(e))
    expect(m.traceOn[TP_MM_COMPACTION_BEGIN]).toBe(1)
    const begin = {
      name: 'mm_compaction_begin',
      zone_start: 0,
      migrate_pfn: 0,
      free_pfn: 15872,
      zone_end: 16384,
      sync: false,
    } as const
    emitTrace(m, TP_MM_COMPACTION_BEGIN, begin)
    emitTrace(m, TP_MM_COMPACTION_END, { ...begin, name: 'mm_compaction_end', status: 'complete' })
    expect(got).toEqual([begin, { ...begin, name: 'mm_compaction_end', status: 'complete' }])
  })

  it('with debugVm, an event emitted under the wrong tracepoint id is refused', () => {
    const m = testMachine()
    traceSubscribe(m, 'mm_compaction_begin', () => {})
    expect(() =>
      emitTrace(m, TP_MM_COMPACTION_BEGIN, { name: 'mm_compaction_kcompactd_sleep', nid: 0 }),
    ).toThrow(/mm_compaction_kcompactd_sleep/)
  })

  it('a subscriber that unsubscribes during delivery does not make another miss the event', () => {
    const m = testMachine()
    const seen: string[] = []
    const offA = traceSubscribe(m, 'mm_compaction_kcompactd_sleep', () => {
      seen.push('a')
      offA()
    })
    traceSubscribe(m, 'mm_compaction_kcompactd_sleep', () => seen.push('b'))
    const ev = { name: 'mm_compaction_kcompactd_sleep', nid: 0 } as const
    emitTrace(m, TP_MM_COMPACTION_KCOMPACTD_SLEEP, ev)
    emitTrace(m, TP_MM_COMPACTION_KCOMPACTD_SLEEP, ev)
    expect(seen).toEqual(['a', 'b', 'b'])
    offA()
    expect(m.traceOn[TP_MM_COMPACTION_KCOMPACTD_SLEEP]).toBe(1)
  })
})
