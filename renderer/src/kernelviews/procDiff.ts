/**
 * Differences between two moments of the kernel's text files, cell by cell.
 *
 * buddyinfo, pagetypeinfo and the extfrag indices are tables: a row label (`Node 0, zone
 * Normal`, `..., type Movable`) followed by numbers (free blocks per order, pageblocks per
 * migratetype, indices per order). `diffTable` keeps B's layout and gives each number its
 * change since A. Rows are matched by label, so a zone or migratetype row that appears or
 * disappears is reported as such instead of shifting the rest. pagetypeinfo prints counts
 * above 100000 as `>100000` (mm/vmstat.c:pagetypeinfo_showfree_print caps the walk), which has
 * no numeric delta.
 *
 * /proc/vmstat is `name value` lines (mm/vmstat.c:vmstat_show): `diffVmstat` lists the
 * counters whose value changed.
 */

/** A value cell: a number, or pagetypeinfo's capped `>100000`. */
const VALUE = /^(-?\d+(\.\d+)?|>\d+)$/
const NUMBER = /^-?\d+(\.\d+)?$/

export interface TableRow {
  /** The text before the first value, whitespace collapsed (`Node 0, zone DMA32`). */
  label: string
  /** The value tokens as printed. */
  cells: string[]
}

/** Splits a table file into rows: label, then value cells. Blank lines are dropped. */
export function parseTable(text: string): TableRow[] {
  const rows: TableRow[] = []
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter(Boolean)
    if (tokens.length === 0) continue
    let i = 0
    while (i < tokens.length && !VALUE.test(tokens[i]!)) i++
    rows.push({ label: tokens.slice(0, i).join(' '), cells: tokens.slice(i) })
  }
  return rows
}

export interface DiffCell {
  /** B's token. */
  text: string
  /** A's token, or null when A's row had no such cell. */
  before: string | null
  /** B − A, when both are numbers; null otherwise (capped, missing). */
  delta: number | null
  /** Decimal places to print the delta with (those of the inputs: extfrag prints 3). */
  decimals: number
}

export interface DiffRow {
  label: string
  /** A data row (`Node ...`): cells carry deltas. Other rows are headings and constants. */
  data: boolean
  /** The row is in B only. */
  added: boolean
  cells: DiffCell[]
}

export interface TableDiff {
  rows: DiffRow[]
  /** Labels of A's data rows that B lacks. */
  removed: string[]
  /** Data cells whose value changed. */
  changedCells: number
}

function decimalsOf(token: string): number {
  const dot = token.indexOf('.')
  return dot < 0 ? 0 : token.length - dot - 1
}

function cellDiff(b: string, a: string | null): DiffCell {
  const decimals = Math.max(decimalsOf(b), a ? decimalsOf(a) : 0)
  if (a === null || !NUMBER.test(a) || !NUMBER.test(b))
    return { text: b, before: a, delta: null, decimals }
  const scale = 10 ** decimals
  // Round on the printed precision so 0.123 − 0.100 is 0.023, not 0.022999...
  const delta = Math.round(Number(b) * scale - Number(a) * scale) / scale
  return { text: b, before: a, delta, decimals }
}

/**
 * B's rows with each value's change since A. A row of B is matched with the row of A that
 * has the same label and the same occurrence number among rows with that label.
 */
export function diffTable(textA: string, textB: string): TableDiff {
  const rowsA = parseTable(textA)
  const rowsB = parseTable(textB)
  const key = (label: string, seen: Map<string, number>) => {
    const n = seen.get(label) ?? 0
    seen.set(label, n + 1)
    return `${label}\u0000${n}`
  }
  const byKey = new Map<string, TableRow>()
  const seenA = new Map<string, number>()
  for (const r of rowsA) byKey.set(key(r.label, seenA), r)
  const seenB = new Map<string, number>()
  const matched = new Set<string>()
  let changedCells = 0
  const rows = rowsB.map((rb) => {
    const k = key(rb.label, seenB)
    const ra = byKey.get(k)
    if (ra) matched.add(k)
    const data = rb.label.startsWith('Node')
    const cells = rb.cells.map((t, i) => cellDiff(t, ra ? (ra.cells[i] ?? null) : null))
    if (data) for (const c of cells) if (c.text !== c.before) changedCells++
    return { label: rb.label, data, added: !ra, cells }
  })
  // A heading above data rows (`Number of blocks type  Unmovable  Movable ...`): its last
  // words name the columns of the rows below.
  rows.forEach((r, i) => {
    const next = rows[i + 1]
    if (r.data || r.cells.length > 0 || !next?.data) return
    const words = r.label.split(' ')
    const k = next.cells.length
    if (words.length <= k) return
    r.label = words.slice(0, words.length - k).join(' ')
    r.cells = words.slice(-k).map((w) => ({ text: w, before: w, delta: null, decimals: 0 }))
  })
  const removed: string[] = []
  for (const [k, r] of byKey)
    if (!matched.has(k) && r.label.startsWith('Node')) removed.push(r.label)
  return { rows, removed, changedCells }
}

/** `+3`, `−2`, `+0.125`, or '' for no change. */
export function formatDelta(c: DiffCell): string {
  if (c.delta === null) return c.text === c.before ? '' : c.before === null ? 'new' : '?'
  if (c.delta === 0) return ''
  const abs = Math.abs(c.delta).toFixed(c.decimals)
  return c.delta > 0 ? `+${abs}` : `\u2212${abs}`
}

export interface VmstatChange {
  name: string
  /** null: absent at that moment. */
  a: number | null
  b: number | null
  delta: number
}

/** `name value` pairs of /proc/vmstat text, in file order. */
export function parseVmstatText(text: string): [string, number][] {
  const out: [string, number][] = []
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(-?\d+)\s*$/.exec(line)
    if (m) out.push([m[1]!, Number(m[2])])
  }
  return out
}

/** Counters whose value differs between A and B, in B's order (then A-only ones). */
export function diffVmstat(textA: string, textB: string): VmstatChange[] {
  const a = new Map(parseVmstatText(textA))
  const b = parseVmstatText(textB)
  const out: VmstatChange[] = []
  for (const [name, vb] of b) {
    const va = a.get(name)
    if (va === vb) continue
    out.push({ name, a: va ?? null, b: vb, delta: vb - (va ?? 0) })
  }
  const inB = new Set(b.map(([n]) => n))
  for (const [name, va] of a) if (!inB.has(name)) out.push({ name, a: va, b: null, delta: -va })
  return out
}
