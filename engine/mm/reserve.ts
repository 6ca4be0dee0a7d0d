/**
 * What an x86_64 machine keeps outside the buddy allocator from boot (memblock reservations
 * that `memblock_free_all` never frees): the first MiB, the kernel image and the memmap. They
 * become PG_reserved pages outside `managed_pages`, as /proc/zoneinfo's `present` − `managed`.
 *
 * Checked against the 256 MiB calibration guests (/work/shared/traces/*\/start/zoneinfo):
 * - DMA: managed 3840 = the zone less the first MiB, on 6.1 and 6.12 (the model's 3840 too).
 * - DMA32: 6.1.192 reserves 12560 pages, the model 12386 (image 11362 + memmap 1024); 6.12.117
 *   reserves 10802, the model 10626 (9602 + 1024). The ~175 pages left on both are the other
 *   memblock allocations (page tables, the percpu first chunk, the early hash tables), which
 *   the model does not reserve, plus 35 pages of e820 hole below 256 MiB that the model has
 *   no holes for.
 */
import { type KernelEra, type ZoneConfig } from './config'
import { ConfigError } from './configError'

/** Resolved boot reservations of a machine (`MachineConfig.reserve`). */
export interface ReserveConfig {
  /**
   * The first MiB (x86 `setup_arch`: "always reserve the first 1M of RAM", f1d4d47c5851,
   * 5.13: BIOSes corrupt low memory and the real-mode trampoline lives there).
   */
  firstMiB: boolean
  /**
   * KiB of kernel image kept after boot (text, rodata, data, percpu load area, bss; init
   * sections and the alignment gaps are freed at the end of boot), from
   * `CONFIG_PHYSICAL_START` (16 MiB, no KASLR). 0: none.
   */
  kernelImageKiB: number
  /** The `struct page` array: 64 bytes per page, a 2 MiB block per 128 MiB section, top-down at each node's end. */
  memmap: boolean
}

export const NO_RESERVE: ReserveConfig = { firstMiB: false, kernelImageKiB: 0, memmap: false }

/**
 * Debian's kernel images as kept after boot, from the ELF section table of the vmlinux in
 * `linux-image-6.1.0-56-amd64` (6.1.192-2) and `linux-image-6.12.117+deb12-amd64`, the
 * calibration guests' kernels: text `[_text, PFN_ALIGN(_etext))` + rodata `[__start_rodata,
 * PFN_ALIGN(__end_rodata))` + data and percpu `[_sdata, __init_begin)` + `[__init_end,
 * __bss_start)` + bss up to the used `.bss..decrypted` pages (the rest of that 2 MiB is
 * freed as "unused decrypted"). In KiB:
 * - 6.1.192: 14344 + 9132 + 6628 + 40 + 15304 = 45448;
 * - 6.12.117: 16384 + 11716 + 7400 + 44 + 2864 = 38408 (eras after 6.1 use it).
 */
export function defaultKernelImageKiB(era: KernelEra): number {
  return era === '6.1' ? 45448 : 38408
}

/** x86_64: `CONFIG_PHYSICAL_START` = 0x1000000 (Debian's config), where the image is loaded. */
export const KERNEL_START_PFN = 0x1000000 >> 12
/** `PAGES_PER_SECTION` (SECTION_SIZE_BITS 27) and `section_map_size()` = ALIGN(64 * 32768, PMD_SIZE) in pages. */
export const PAGES_PER_SECTION = 32768
export const SECTION_MAP_PAGES = 512
const FIRST_MIB_PAGES = 256

/** One reserved range. */
export interface ReservedRange {
  kind: 'firstMiB' | 'kernelImage' | 'memmap'
  nid: number
  startPfn: number
  nrPages: number
}

type Obj = Record<string, unknown>

/**
 * Parses `reserve`: `'none'`, or `{ firstMiB?, kernelImageKiB?, memmap? }` (missing keys take
 * the x86_64 defaults). Absent: the defaults when `real` (a `boot: 'free'` machine with the
 * default layout), otherwise none.
 */
export function parseReserve(raw: unknown, era: KernelEra, real: boolean): ReserveConfig {
  const dflt: ReserveConfig = {
    firstMiB: true,
    kernelImageKiB: defaultKernelImageKiB(era),
    memmap: true,
  }
  if (raw === undefined) return real ? dflt : { ...NO_RESERVE }
  if (raw === 'none') return { ...NO_RESERVE }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError('reserve', `must be 'none' or { firstMiB?, kernelImageKiB?, memmap? }`)
  const o = raw as Obj
  for (const k of Object.keys(o)) {
    if (!(k in dflt))
      throw new ConfigError(
        `reserve.${k}`,
        'unknown field (known: firstMiB, kernelImageKiB, memmap)',
      )
  }
  const flag = (k: 'firstMiB' | 'memmap'): boolean => {
    if (o[k] === undefined) return dflt[k]
    if (typeof o[k] !== 'boolean')
      throw new ConfigError(`reserve.${k}`, `must be a boolean, got ${JSON.stringify(o[k])}`)
    return o[k] as boolean
  }
  let kib = dflt.kernelImageKiB
  if (o.kernelImageKiB !== undefined) {
    const v = o.kernelImageKiB
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1048576)
      throw new ConfigError(
        'reserve.kernelImageKiB',
        `must be an integer in 0..1048576, got ${JSON.stringify(v)}`,
      )
    kib = v
  }
  return { firstMiB: flag('firstMiB'), kernelImageKiB: kib, memmap: flag('memmap') }
}

/** Sections a pfn range touches (its memmap is allocated per present section). */
function sectionsOf(start: number, end: number): number {
  return Math.floor((end - 1) / PAGES_PER_SECTION) - Math.floor(start / PAGES_PER_SECTION) + 1
}

/**
 * The reserved ranges of a layout, in boot order: the first MiB and the kernel image (fixed
 * addresses, reserved first in `setup_arch`), then each node's memmap (`sparse_buffer_init`:
 * one memblock allocation of `sections × section_map_size()`, 2 MiB aligned, top-down from the
 * node's end). Throws ConfigError when they do not fit or overlap.
 */
export function reservedRanges(
  zones: ZoneConfig[],
  r: ReserveConfig,
  avoid: readonly (readonly [number, number])[] = [],
): ReservedRange[] {
  const out: ReservedRange[] = []
  const nodes = [...new Set(zones.map((z) => z.nid))]
  const span = (nid: number): [number, number] => {
    const zs = zones.filter((z) => z.nid === nid)
    return [zs[0].startPfn, zs[zs.length - 1].startPfn + zs[zs.length - 1].nrPages]
  }
  const [start0, end0] = span(nodes[0])
  if (r.firstMiB && start0 < FIRST_MIB_PAGES) {
    const nrPages = FIRST_MIB_PAGES - start0
    out.push({ kind: 'firstMiB', nid: nodes[0], startPfn: start0, nrPages })
  }
  if (r.kernelImageKiB > 0) {
    const nrPages = Math.ceil(r.kernelImageKiB / 4)
    if (KERNEL_START_PFN + nrPages > end0)
      throw new ConfigError(
        'reserve.kernelImageKiB',
        `the kernel image (${r.kernelImageKiB} KiB from 16 MiB) does not fit in node 0`,
      )
    out.push({ kind: 'kernelImage', nid: nodes[0], startPfn: KERNEL_START_PFN, nrPages })
  }
  if (!r.memmap) return out
  for (const nid of nodes) {
    const [s, e] = span(nid)
    const nrPages = sectionsOf(s, e) * SECTION_MAP_PAGES
    // memblock's top-down search: the highest aligned free range below the node's end.
    const taken = [...out.map((x) => [x.startPfn, x.startPfn + x.nrPages] as const), ...avoid]
    let end = Math.floor(e / SECTION_MAP_PAGES) * SECTION_MAP_PAGES
    for (;;) {
      const clash = taken.find(([a, b]) => end - nrPages < b && a < end)
      if (!clash) break
      end = Math.floor(clash[0] / SECTION_MAP_PAGES) * SECTION_MAP_PAGES
    }
    if (end - nrPages < s)
      throw new ConfigError(
        'reserve.memmap',
        `node ${nid}'s memmap (${nrPages / 256} MiB) does not fit beside the other reservations`,
      )
    out.push({ kind: 'memmap', nid, startPfn: end - nrPages, nrPages })
  }
  return out
}

/** Pages reserved per kind, for the run summary. */
export function reservedSummary(
  ranges: ReservedRange[],
): Record<ReservedRange['kind'] | 'total', number> {
  const s = { firstMiB: 0, kernelImage: 0, memmap: 0, total: 0 }
  for (const x of ranges) {
    s[x.kind] += x.nrPages
    s.total += x.nrPages
  }
  return s
}
