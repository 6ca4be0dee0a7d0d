/**
 * Indices into `machine.vmEvents`: the `enum vm_event_item` counters and the node/numa
 * counters the model maintains. Zone counters (nr_free_pages, …) live on the zones.
 */
/** `PGALLOC_DMA` .. `PGALLOC_MOVABLE`: add the zone type. Counted in pages. */
export const VM_PGALLOC = 0
/** `PGFREE`, in pages. */
export const VM_PGFREE = 4
export const VM_NUMA_HIT = 5
export const VM_NUMA_MISS = 6
export const VM_NUMA_FOREIGN = 7
export const VM_NUMA_LOCAL = 8
export const VM_NUMA_OTHER = 9
/** Node counters `NR_FILE_DIRTY` ("nr_dirty") and `NR_WRITEBACK` ("nr_writeback"), in pages. */
export const VM_NR_DIRTY = 10
export const VM_NR_WRITEBACK = 11
export const NR_VM_EVENTS = 12
