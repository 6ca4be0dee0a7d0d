/**
 * The `mmwb` command as users run it: `node cli/bin/mmwb.js ...` in a child process, checked
 * on exit status, stdout and stderr.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRunResult } from '../protocol/guards'
import { compareExperiment, validateExperiment } from '../protocol/results'
import { RESULT_SCHEMA_VERSION } from '../protocol/result'

const ROOT = join(__dirname, '..')
const BIN = join(ROOT, 'cli', 'bin', 'mmwb.js')
const tmp = mkdtempSync(join(tmpdir(), 'mmwb-cli-'))

function mmwb(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    // Progress lines (stderr, only when a run takes over a second: a loaded machine) are
    // not part of what these tests check.
    const progress =
      /^.*: (running|\d+%), simulated [\d.]+ ms, wall [\d.]+ s$|^compare: \d+\/\d+ runs done.*$/
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr: stderr
          .split('\n')
          .filter((l) => !progress.test(l))
          .join('\n'),
      }),
    )
  })
}

function script(name: string, lines: string[]): string {
  const file = join(tmp, name)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const BUDDYINFO_LINE = /^Node \d+, zone +\S+( +\d+){11} $/

describe('mmwb', () => {
  it('prints help with the exit codes for every command', async () => {
    for (const args of [
      ['--help'],
      ['run', '--help'],
      ['proc', '--help'],
      ['bench', '--help'],
      ['help', 'run'],
    ]) {
      const r = await mmwb(...args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.stdout).toMatch(/^Usage: mmwb/)
      expect(r.stdout).toContain('Exit status:')
      expect(r.stdout).toContain('4  syntax error')
    }
  })

  it('exits 2 on usage errors and missing files, with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: mmwb/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['run'], /exactly one script file/],
      [['run', 'nope/missing.ts'], /no such file: nope\/missing\.ts/],
      [['run', 'resources/examples/hello.ts', '--seed', 'x'], /--seed must be an integer/],
      [['run', 'resources/examples/hello.ts', '--frob'], /unknown option --frob/],
      [['proc', 'resources/examples/hello.ts', 'meminfo'], /unknown file "meminfo"/],
    ]
    for (const [args, re] of cases) {
      const r = await mmwb(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stdout + r.stderr).toMatch(re)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('runs hello.ts: summary, /proc/buddyinfo in the kernel layout, --json result', async () => {
    const out = join(tmp, 'hello.json')
    const r = await mmwb('run', 'resources/examples/hello.ts', '--seed', '7', '--json', out)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('resources/examples/hello.ts: finished at')
    const buddy = r.stdout
      .slice(r.stdout.indexOf('/proc/buddyinfo:\n') + 17)
      .split('\n')
      .filter((l) => l !== '')
    expect(buddy.length).toBeGreaterThan(0)
    for (const line of buddy) expect(line).toMatch(BUDDYINFO_LINE)
    const result = parseRunResult(JSON.parse(readFileSync(out, 'utf8')))
    expect(result).toMatchObject({
      schemaVersion: RESULT_SCHEMA_VERSION,
      seed: 7,
      variant: null,
      script: 'resources/examples/hello.ts',
    })
    expect(result.series.nr_free_pages.length).toBeGreaterThan(1)
    expect(result.proc['/proc/buddyinfo']).toBe(buddy.join('\n') + '\n')
  })

  it('writes an ftrace text trace with --trace: one mm_page_alloc per allocation', async () => {
    const out = join(tmp, 'hello.trace')
    const r = await mmwb('run', 'resources/examples/hello.ts', '--quiet', '--trace', out)
    expect(r.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toMatch(
      /^# tracer: nop\n#\n# entries-in-buffer\/entries-written: (\d+)\/\1 +#P:2\n/,
    )
    const allocs = text.split('\n').filter((l) => / mm_page_alloc: /.test(l))
    // hello.ts makes 2048 allocPages calls; __alloc_pages traces every request.
    expect(allocs).toHaveLength(2048)
    expect(allocs[0]).toMatch(
      /^ +main-1000 +\[000\] \.{5} +\d+\.\d{6}: mm_page_alloc: page=\S+ pfn=/,
    )
  })

  it('gives the same result for the same seed', async () => {
    const a = join(tmp, 'a.json')
    const b = join(tmp, 'b.json')
    await mmwb(
      'run',
      'resources/examples/lock-contention.ts',
      '--seed',
      '3',
      '--json',
      a,
      '--quiet',
    )
    await mmwb(
      'run',
      'resources/examples/lock-contention.ts',
      '--seed',
      '3',
      '--json',
      b,
      '--quiet',
    )
    const ra = JSON.parse(readFileSync(a, 'utf8'))
    const rb = JSON.parse(readFileSync(b, 'utf8'))
    expect({ ...ra, wall: null }).toEqual({ ...rb, wall: null })
    expect(ra.series.reader_lock_wait_ns.length).toBe(50)
  })

  it('runs a named variant and rejects an unknown one', async () => {
    const ok = await mmwb(
      'run',
      'resources/examples/lock-contention.ts',
      '--variant',
      'slowWakeup',
      '--quiet',
    )
    expect(ok.code).toBe(0)
    const bad = await mmwb('run', 'resources/examples/lock-contention.ts', '--variant', 'nope')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(
      /ConfigError: .*no variant "nope"; the script defines: base, slowWakeup/,
    )
  })

  it('exits 4 with file:line:column on a syntax error', async () => {
    const f = script('syntax.ts', ['export default function (k) {', '  const a = ;', '}'])
    const r = await mmwb('run', f)
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/ScriptSyntaxError: .*syntax\.ts:2:13: syntax error/)
  })

  it('exits 1 with the line of a thrown error and only the script frames', async () => {
    const f = script('throws.ts', [
      "import { type Kernel } from 'mmwb'",
      'export default async function (k: Kernel) {',
      '  await k.sleep(10)',
      '  check(k.now())',
      '}',
      'function check(t: number) {',
      "  if (t > 0) throw new Error('too late: ' + t)",
      '}',
    ])
    const r = await mmwb('run', f)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^mmwb: ScriptError: Error: too late: 10 \(.*throws\.ts:7\)\n/)
    expect(r.stderr).toMatch(/at check \(.*throws\.ts:7:\d+\)/)
    expect(r.stderr).not.toMatch(/engine-host|node:internal|cli\//)
  })

  it('exits 3 when an endless loop exceeds the budget, naming the loop line', async () => {
    const f = script('loop.ts', [
      'export default async function (k) {',
      '  await k.sleep(1)',
      '  while (true) {}',
      '}',
    ])
    const r = await mmwb('run', f, '--budget-ms', '400')
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(
      /ScriptTimeout: the script exceeded its time budget of 400 ms .*loop\.ts:3/,
    )
  })

  it('prints one /proc file with `mmwb proc`, the script log going to stderr', async () => {
    const r = await mmwb('proc', 'resources/examples/hello.ts', 'pagetypeinfo')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^Page block order: 9\nPages per block: {2}512\n\nFree pages count per migrate type at order/,
    )
    expect(r.stderr).toContain('holding 1024 folios')
    const u = await mmwb('proc', 'resources/examples/hello.ts', 'extfrag/unusable_index')
    expect(
      u.stdout
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => /^Node \d+, zone +\S+( \d\.\d{3}){11} $/.test(l)),
    ).toBe(true)
  })

  it('compares two variants over three seeds and writes JSON that validates against the schema', async () => {
    const out = join(tmp, 'compare.json')
    const r = await mmwb(
      'compare',
      'resources/examples/lock-contention.ts',
      '--seeds',
      '1,2,3',
      '--json',
      out,
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^resources\/examples\/lock-contention\.ts: 2 variant\(s\) x 3 seed\(s\)/,
    )
    expect(r.stdout).toMatch(/ +base +slowWakeup\n/)
    expect(r.stdout).toMatch(
      /reader_lock_wait_ns mean \(ns\) +[\d.]+ \(± *[\d.]+\) \( *0\.00%\) +[\d.]+ \(± *[\d.]+\) \*\+[\d.]+%\*/,
    )
    const experiment = validateExperiment(JSON.parse(readFileSync(out, 'utf8')))
    expect(experiment.variants).toEqual(['base', 'slowWakeup'])
    expect(experiment.runs.map((x) => [x.variant, x.seed])).toEqual([
      ['base', 1],
      ['base', 2],
      ['base', 3],
      ['slowWakeup', 1],
      ['slowWakeup', 2],
      ['slowWakeup', 3],
    ])
    // A 10x slower wake-up makes every contended wait longer: the change must be significant.
    const row = compareExperiment(experiment).rows.find((x) =>
      x.metric.startsWith('reader_lock_wait_ns mean'),
    )
    expect(row?.cells[1].significant).toBe(true)
    expect(row!.cells[1].mean!).toBeGreaterThan(row!.cells[0].mean!)
  })

  it('refuses to compare a script without variants', async () => {
    const r = await mmwb('compare', 'resources/examples/hello.ts')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/exports no `variants`/)
  })

  it('wires `mmwb bench` to cli/bench', async () => {
    const r = await mmwb('bench', '--help')
    expect(r.code).toBe(0)
    if (!existsSync(join(ROOT, 'cli', 'bench', 'index.ts'))) {
      const missing = await mmwb('bench')
      expect(missing.code).toBe(7)
      expect(missing.stderr).toMatch(/benchmark suite/)
    }
  })
})

describe('mmwb calibrate', () => {
  it('prints W1 P=8 K=1 beside the 6.1 kernel figures, with the trace lines', async () => {
    const r = await mmwb('calibrate', 'w1', '--case', 'p8k1')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('W1 P=8 K=1')
    // The kernel's column comes from the shared measurements (w1_p8k1): hp_after 398.
    expect(r.stdout).toMatch(/^\| hp_after \| 398 \| \d+ \| [+-]?\d+\.\d%/m)
    expect(r.stdout).toContain('mm_compaction_end zone_start=0x1000')
  })

  it('rejects an unknown case with a usage error', async () => {
    const r = await mmwb('calibrate', 'w1', '--case', 'p3k1')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--case must be one of p2k1, p8k1')
    const all = await mmwb('calibrate', '--case', 'w2_p3k1')
    expect(all.code).toBe(2)
    expect(all.stderr).toMatch(/--case: unknown case "w2_p3k1"; known: w1_p2k1, /)
    const data = await mmwb('calibrate', '--case', 'w1_p8k1', '--data', '/nonexistent')
    expect(data.code).toBe(2)
    expect(data.stderr).toMatch(/calibration data: \/nonexistent\/w1_p8k1.json does not exist/)
  })

  // The seven cases of both batches from resources/calibration (about 40 s on one core).
  it('runs all seven cases, kernel beside simulator, as a table and as JSON', async () => {
    const r = await mmwb('calibrate', '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as {
      cases: { id: string; rows: { figure: string; kind: string; kernel: number; sim: number; over: boolean }[] }[]
    }
    expect(out.cases.map((c) => c.id)).toEqual([
      'w1_p2k1',
      'w1_p8k1',
      'w1_612_p8k1',
      'w1_612_p128k16_direct',
      'w4_612_m64_p128k16',
      'w3_612cma_p8k1_c2m',
      'vmem_612_movable_p8k1_1g_to_0',
    ])
    const fig = (id: string, figure: string) =>
      out.cases.find((c) => c.id === id)!.rows.find((x) => x.figure === figure)!
    // The kernel column is the records' (batch2/README.md's figures).
    expect(fig('w1_612_p8k1', 'hp_after').kernel).toBe(406)
    expect(fig('w1_612_p128k16_direct', 'hp_before').kernel).toBe(139)
    expect(fig('w4_612_m64_p128k16', 'kept folios whole after hp_after').kernel).toBe(230)
    expect(fig('w3_612cma_p8k1_c2m', 'cma_alloc successes').kernel).toBe(63)
    expect(fig('vmem_612_movable_p8k1_1g_to_0', 'unplug: pgmigrate_success').kernel).toBe(81070)
    // Batch 1 stays within its targets (docs/calibration.md).
    for (const id of ['w1_p2k1', 'w1_p8k1'])
      expect(out.cases.find((c) => c.id === id)!.rows.filter((x) => x.over)).toEqual([])
    // The area has room for 63 chunks after the 64 pages cma_alloc took at boot (cma_alloc's
    // bitmap search), and the 64th fails for lack of room, as in the kernel.
    expect(fig('w3_612cma_p8k1_c2m', 'cma_alloc successes').sim).toBe(63)
    // virtio-mem unplugs all 8 memory blocks whole, one alloc_contig_range each.
    expect(fig('vmem_612_movable_p8k1_1g_to_0', 'plugged size reached (MiB)').sim).toBe(0)
    expect(fig('vmem_612_movable_p8k1_1g_to_0', 'alloc_contig_range calls').sim).toBe(8)
  }, 180_000)
})
