/** engine/migrate bound to the `ContigMigrateApi` alloc_contig_range uses. */
import { isolateLruFolio, isolateMovablePage, migratePages, putbackMovablePages } from '../migrate'
import { modIsolated } from '../migrate/counters'
import { type ContigMigrateApi } from './types'

export const MIGRATE_API: ContigMigrateApi = {
  migratePages: (m, from, getNew, putNew, opts) => migratePages(m, from, getNew, putNew, opts),
  putbackMovablePages,
  isolateLruFolio,
  isolateMovablePage,
  modIsolated,
}
