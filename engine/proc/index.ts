/**
 * Observability formats and real-state import (issue 3, items 5 and 8; kernel-model §8, §3.7).
 *
 * - Formatters that print exactly what the kernel prints, from plain `ZoneInfo[]` data:
 *   /proc/buddyinfo (`frag_show_print`), /proc/pagetypeinfo (`pagetypeinfo_show`),
 *   /proc/vmstat (`vmstat_show`), and debugfs extfrag/unusable_index and extfrag_index
 *   (`unusable_show_print`, `extfrag_show_print`), all in mm/vmstat.c.
 * - Parsers for the three /proc files, with errors that name the line.
 * - The fragmentation formulas of mm/vmstat.c (`fill_contig_page_info`,
 *   `__fragmentation_index`, `unusable_free_index`, `extfrag_for_order`).
 * - `planImport`: a machine state (pageblock types, free blocks, allocated runs) consistent
 *   with every count of a real buddyinfo + pagetypeinfo pair, checked by `checkImportPlan`;
 *   `applyImportPlan` builds that machine with engine/mm (`importMachine` does both).
 * - `readProcFile(machine, '/proc/buddyinfo' | ...)`: the files of a running machine.
 *
 * The formatters are verified byte for byte against real files of a Debian 6.1 kernel in
 * resources/proc-samples.
 */
export { formatBuddyinfo, parseBuddyinfo, type BuddyinfoZone } from './buddyinfo'
export {
  formatPagetypeinfo,
  parsePagetypeinfo,
  printedMigratetypes,
  PAGETYPEINFO_FREECOUNT_CAP,
  type Pagetypeinfo,
  type PagetypeinfoOptions,
  type PagetypeinfoZone,
} from './pagetypeinfo'
export { VMSTAT_ORDER, formatVmstat, parseVmstat, sortVmstat, vmstatMap } from './vmstat'
export {
  extfragForOrder,
  fillContigPageInfo,
  formatExtfragIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableIndex,
  zoneFragmentationIndex,
  type ContigPageInfo,
} from './extfrag'
export { resolveCappedCounts, zoneInfoFromProc } from './procZoneInfo'
export {
  QEMU_1GIB_X86_64_GEOMETRY,
  defaultImportGeometry,
  planImport,
  type ImportPlan,
  type ImportZonePlan,
  type PlanImportOptions,
  type ZoneGeometry,
} from './importPlan'
export { checkImportPlan, planZoneInfo } from './importCheck'
export { applyImportPlan, importMachine, type ApplyImportOptions } from './importApply'
export { buddyPfn } from './importPack'
export { PROC_FILES, readProcFile, type ProcFile, type ProcFileOptions } from './machineProc'
export { ProcParseError } from './cformat'
