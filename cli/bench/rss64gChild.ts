/**
 * Child process for `rss-64g`: create a 64 GiB machine (16M pages) and report peak RSS; then
 * allocate every page at order 0 (touching every page's state) and report peak RSS again.
 */
import { allocPagesFlags } from '../../engine/mm/alloc'
import { ALLOC_CMA, ALLOC_NO_WATERMARKS } from '../../engine/mm/allocFlags'
import { createMachine } from '../../engine/mm/boot'
import { parseMachineConfig } from '../../engine/mm/config'
import { GFP_HIGHUSER_MOVABLE } from '../../engine/mm/gfp'
import { NO_PAGE } from '../../engine/mm/memmap'

const t0 = performance.now()
const m = createMachine(parseMachineConfig({ memoryMiB: 65536 }))
const createS = (performance.now() - t0) / 1000
const afterCreateKiB = process.resourceUsage().maxRSS
let n = 0
while (allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, ALLOC_NO_WATERMARKS | ALLOC_CMA) !== NO_PAGE) n++
process.stdout.write(
  JSON.stringify({
    pages: m.endPfn,
    create_s: Number(createS.toFixed(3)),
    max_rss_kib: afterCreateKiB,
    filled_pages: n,
    max_rss_filled_kib: process.resourceUsage().maxRSS,
  }) + '\n',
)
