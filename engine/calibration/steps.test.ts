/**
 * The shared workload steps (steps.ts): the fill as do_anonymous_page / 6.12's
 * alloc_anon_folio make it (one PTE page per 2 MiB of mapping, order-0 or mTHP folios), and the
 * MADV_DONTNEED pattern that keeps the first K of every P pages.
 */
import { describe, expect, it } from 'vitest'
import { createMachine } from '../mm/boot'
import { parseMachineConfig } from '../mm/config'
import { compoundHead, folioOrder } from '../mm/folio'
import { checkInvariants } from '../mm/invariants'
import { drainAllPages } from '../mm/pcp'
import { fillAnon, fragmentAnon, freeKb, perPageblock } from './steps'

const machine = () => createMachine(parseMachineConfig({ memoryMiB: 64, nrCpus: 1 }))

describe('fillAnon', () => {
  it('order 0: one unmovable PTE page per 512 pages of mapping, then mapped anon pages', () => {
    const m = machine()
    const before = freeKb(m)
    const f = fillAnon(m, 2048)
    drainAllPages(m, null)
    expect(f.n).toBe(2048)
    expect(f.pageTablePages).toBe(4)
    expect(before - freeKb(m)).toBe((2048 + 4) * 4)
    for (let i = 0; i < f.n; i++) expect(m.mapcount[f.pages[i]]).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('order 4 (64 KiB mTHP): whole folios, each page of the mapping inside its folio', () => {
    const m = machine()
    const f = fillAnon(m, 1024, 4)
    expect(f.n).toBe(1024)
    expect(f.nrFolios).toBe(64)
    expect(f.nrFallback).toBe(0)
    for (let i = 0; i < f.n; i += 16) {
      expect(folioOrder(m, f.pages[i])).toBe(4)
      expect(compoundHead(m, f.pages[i + 15])).toBe(f.pages[i])
    }
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('fragmentAnon', () => {
  it('P=8 K=1 keeps the first page of every 8 and frees the other 7', () => {
    const m = machine()
    const f = fillAnon(m, 4096)
    drainAllPages(m, null)
    const free0 = freeKb(m)
    const kept = fragmentAnon(m, f, 8, 1)
    drainAllPages(m, null)
    expect(kept.length).toBe(512)
    expect(Array.from(kept.subarray(0, 3))).toEqual([f.pages[0], f.pages[8], f.pages[16]])
    expect(freeKb(m) - free0).toBe(4096 * 4 * (7 / 8))
    expect(perPageblock(m, kept, kept.length).reduce((a, b) => a + b, 0)).toBe(512)
    expect(checkInvariants(m)).toBeNull()
  })

  it('W4: P=128 K=16 over 64 KiB folios keeps one whole folio of every eight', () => {
    const m = machine()
    const f = fillAnon(m, 2048, 4)
    drainAllPages(m, null)
    const free0 = freeKb(m)
    const kept = fragmentAnon(m, f, 128, 16, 4)
    drainAllPages(m, null)
    expect(kept.length).toBe(256)
    for (let i = 0; i < kept.length; i += 16) expect(folioOrder(m, kept[i])).toBe(4)
    expect(freeKb(m) - free0).toBe((2048 - 256) * 4)
    expect(() => fragmentAnon(m, f, 8, 1, 4)).toThrow(/multiples of 16 pages/)
    expect(checkInvariants(m)).toBeNull()
  })
})
