import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/** A utility process stand-in: records the ports it is given; `die` emits exit like a crash. */
class FakeChild extends EventEmitter {
  posted: { msg: unknown; ports: unknown[] }[] = []
  killed = false
  postMessage(msg: unknown, ports: unknown[]) {
    this.posted.push({ msg, ports })
  }
  kill() {
    this.killed = true
    setTimeout(() => this.emit('exit', 0), 0)
    return true
  }
  die(code: number) {
    this.emit('exit', code)
  }
}

const children: FakeChild[] = []
let channelNo = 0

vi.mock('electron', () => ({
  utilityProcess: {
    fork: vi.fn((modulePath: string, _args: string[], opts: { serviceName: string }) => {
      expect(modulePath).toBe('/out/main/engineHost.js')
      expect(opts.serviceName).toBe('mmwb-engine-host')
      const c = new FakeChild()
      children.push(c)
      return c
    }),
  },
  MessageChannelMain: class {
    n = ++channelNo
    port1 = { end: 'host', n: this.n }
    port2 = { end: 'window', n: this.n }
  },
}))

const { EngineHostSupervisor, describeExit } = await import('./engineHost')

beforeEach(() => {
  vi.useFakeTimers()
  children.length = 0
})
afterEach(() => vi.useRealTimers())

function supervisor() {
  const delivered: { port: { end: string; n: number }; reason: string | null }[] = []
  const s = new EngineHostSupervisor('/out/main/engineHost.js', (port, reason) =>
    delivered.push({ port: port as unknown as { end: string; n: number }, reason }),
  )
  return { s, delivered }
}

describe('EngineHostSupervisor', () => {
  it('forks engine-host and gives each end of one channel to host and window', () => {
    const { s, delivered } = supervisor()
    s.connect()
    expect(children.length).toBe(1)
    const hostPort = children[0]!.posted[0]!.ports[0] as { end: string; n: number }
    expect(hostPort.end).toBe('host')
    expect(delivered).toEqual([{ port: { end: 'window', n: hostPort.n }, reason: null }])
  })

  it('restarts an engine-host that exits on its own and tells the window why', () => {
    const { s, delivered } = supervisor()
    s.connect()
    children[0]!.die(137)
    expect(children.length).toBe(1) // not before the backoff delay
    vi.advanceTimersByTime(200)
    expect(children.length).toBe(2)
    expect(delivered.at(-1)!.reason).toBe('the utility process was killed by signal 9')
  })

  it('backs off on repeated crashes', () => {
    const { s } = supervisor()
    s.connect()
    children[0]!.die(1)
    vi.advanceTimersByTime(200)
    children[1]!.die(1)
    vi.advanceTimersByTime(200)
    expect(children.length).toBe(2)
    vi.advanceTimersByTime(200)
    expect(children.length).toBe(3)
  })

  it('a requested restart replaces the host once and is not reported as a crash', () => {
    const { s, delivered } = supervisor()
    s.connect()
    s.restart('Script stopped: exceeded the time budget of 1000 ms')
    vi.runAllTimers() // the killed child's exit event arrives
    expect(children.length).toBe(2)
    expect(children[0]!.killed).toBe(true)
    expect(delivered.map((d) => d.reason)).toEqual([
      null,
      'Script stopped: exceeded the time budget of 1000 ms',
    ])
  })

  it('stops restarting once disposed', () => {
    const { s } = supervisor()
    s.connect()
    s.dispose()
    vi.runAllTimers()
    expect(children.length).toBe(1)
    expect(describeExit(0)).toBe('the utility process exited')
  })
})
