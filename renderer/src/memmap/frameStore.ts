/**
 * How the memory map gets page detail: a function the host application provides (the
 * workbench sends `mappage` through its EngineClient; see protocol/mapview.ts).
 */
import type { PageDetail } from '../../../engine/mapview/detail'

/** Page detail with the simulated time of the state it was read from. */
export interface FetchedPages {
  timeNs: number
  detail: PageDetail
}

/** Resolves with the detail, or null when the engine could not give it (never rejects). */
export type FetchPages = (startPfn: number, nrPages: number) => Promise<FetchedPages | null>
