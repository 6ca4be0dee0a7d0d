/**
 * engine-host in a Web Worker (web mode). The renderer starts it with
 * `new Worker(new URL('../../engine-host/transports/worker.ts', import.meta.url), { type: 'module' })`
 * and speaks the protocol with worker.postMessage / onmessage.
 *
 * This bundle must stay browser-only: it reaches the FunctionRunner, never vmRunner (node:vm).
 *
 * Before any script runs, the worker's network and messaging globals are removed (the host
 * keeps its own reference to postMessage), so a workload that escapes the parameter
 * shadowing of FunctionRunner still finds no fetch, importScripts, sockets or storage.
 *
 * Runaway loops: a script stuck in synchronous code cannot be interrupted from inside the
 * worker. The client must enforce the budget from outside: when neither `result` nor `error`
 * arrives within `timeBudgetMs` plus a grace period (and `ping` gets no `pong`), terminate the
 * worker, report ScriptTimeout, and start a fresh worker.
 */
import type { HostMessage } from '../../protocol/messages'
import { startHost } from '../host'
import { FunctionRunner } from '../sandbox/functionRunner'

interface WorkerScope {
  postMessage(msg: HostMessage): void
  onmessage: ((e: { data: unknown }) => void) | null
}

const scope = globalThis as unknown as WorkerScope & Record<string, unknown>
const post = scope.postMessage.bind(scope)

const REMOVED = [
  'fetch',
  'importScripts',
  'XMLHttpRequest',
  'WebSocket',
  'WebTransport',
  'EventSource',
  'indexedDB',
  'caches',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
  'postMessage',
]
for (const name of REMOVED) {
  try {
    Object.defineProperty(scope, name, { value: undefined, configurable: false, writable: false })
  } catch {
    // A non-configurable global stays; the parameter shadowing still hides it.
  }
}

startHost(
  {
    post,
    onMessage: (cb) => {
      scope.onmessage = (e) => cb(e.data)
    },
  },
  new FunctionRunner(),
)
