// Test double for Electron's utility-process environment, preloaded with `node -r` (after
// sucrase's hook) into a forked child: it defines `process.parentPort` (Electron's ParentPort
// shape: events carry `{ data, ports }`) and, on request, hands utilityProcess.ts a
// MessagePortMain-like port built on worker_threads.MessageChannel, as main does with the
// renderer's port. The parent test talks to this process over Node IPC with envelopes
// `{ via: 'direct' | 'port' | 'give-port', msg }`; replies come back the same way.
import { EventEmitter } from 'node:events'
import { MessageChannel, type MessagePort } from 'node:worker_threads'

type Envelope = { via: 'direct' | 'port' | 'give-port'; msg?: unknown }

const send = (env: Envelope): void => {
  process.send?.(env)
}

const parentPort = Object.assign(new EventEmitter(), {
  postMessage: (msg: unknown) => send({ via: 'direct', msg }),
})
;(process as unknown as { parentPort: unknown }).parentPort = parentPort

let rendererSide: MessagePort | null = null

function portMainLike(port: MessagePort) {
  return {
    on(event: string, cb: (e: unknown) => void) {
      if (event === 'message') port.on('message', (data: unknown) => cb({ data, ports: [] }))
      else port.on(event, cb)
    },
    postMessage: (msg: unknown) => port.postMessage(msg),
    start: () => port.start(),
  }
}

process.on('message', (env: Envelope) => {
  if (env.via === 'give-port') {
    const { port1, port2 } = new MessageChannel()
    rendererSide = port1
    port1.on('message', (msg: unknown) => send({ via: 'port', msg }))
    parentPort.emit('message', { data: { type: 'engine-port' }, ports: [portMainLike(port2)] })
  } else if (env.via === 'port') {
    rendererSide?.postMessage(env.msg)
  } else {
    parentPort.emit('message', { data: env.msg, ports: [] })
  }
})
