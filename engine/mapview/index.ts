/**
 * # engine/mapview: the memory map's data and pixels, without a DOM
 *
 * - `pageblockFrame(m)`: a per-pageblock summary of a machine (migratetype and markers, free,
 *   per-cpu, movable, unmovable and reserved page counts, largest free order) in typed arrays.
 * - `pageDetail(m, startPfn, nrPages)`: per-page owner, block head and order, folio flags,
 *   refcount and mapcount of a window, for the zoomed-in map and its tooltip.
 * - `mapLayout`, `Viewport`, `pixelToPfn`, `zoomAt`, `panBy`: geometry and hit-testing.
 * - `pageblockColors` + `drawMap`: the pixels, into any Uint32Array (ImageData or a test buffer).
 */
export * from './frame'
export * from './detail'
export * from './layout'
export * from './palette'
export * from './draw'
