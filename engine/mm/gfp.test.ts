import { describe, expect, it } from 'vitest'
import {
  GFP_ATOMIC,
  GFP_DMA32,
  GFP_HIGHUSER,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  GFP_USER,
  __GFP_MOVABLE,
  __GFP_RECLAIMABLE,
  gfpMigratetype,
  gfpZone,
} from './gfp'
import { MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { ZONE_DMA32, ZONE_MOVABLE, ZONE_NORMAL } from './zoneType'

describe('include/linux/gfp.h', () => {
  it('has the kernel bit values of the common masks', () => {
    expect(GFP_KERNEL).toBe(0xcc0)
    expect(GFP_ATOMIC).toBe(0x820)
    expect(GFP_USER).toBe(0x100cc0)
    expect(GFP_HIGHUSER_MOVABLE).toBe(0x100cca)
    expect(GFP_TRANSHUGE).toBe(0x1c24ca)
  })
  it('gfp_zone: HIGHMEM|MOVABLE selects ZONE_MOVABLE, DMA32 selects DMA32, else NORMAL', () => {
    expect(gfpZone(GFP_KERNEL)).toBe(ZONE_NORMAL)
    expect(gfpZone(GFP_HIGHUSER)).toBe(ZONE_NORMAL)
    expect(gfpZone(GFP_HIGHUSER_MOVABLE)).toBe(ZONE_MOVABLE)
    expect(gfpZone(GFP_KERNEL | __GFP_MOVABLE)).toBe(ZONE_NORMAL)
    expect(gfpZone(GFP_KERNEL | GFP_DMA32)).toBe(ZONE_DMA32)
  })
  it('gfp_migratetype', () => {
    expect(gfpMigratetype(GFP_KERNEL)).toBe(MIGRATE_UNMOVABLE)
    expect(gfpMigratetype(GFP_HIGHUSER_MOVABLE)).toBe(MIGRATE_MOVABLE)
    expect(gfpMigratetype(GFP_KERNEL | __GFP_RECLAIMABLE)).toBe(MIGRATE_RECLAIMABLE)
  })
})
