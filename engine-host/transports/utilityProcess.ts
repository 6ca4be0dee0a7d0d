/**
 * engine-host in an Electron utility process (built to out/main/engineHost.js and started by
 * main with utilityProcess.fork). Main hands the renderer's end of a MessageChannelMain to
 * this process in `ports[0]` of a message on `process.parentPort`; the protocol then runs
 * directly between renderer and engine-host, and simulation traffic never passes through
 * main. Messages main itself posts on parentPort (without ports) are served too, each
 * channel by its own protocol host (own handshake, own run). A new port (a reloaded window)
 * gets a new host.
 *
 * Electron's types are not imported here (engine-host must not depend on electron); the
 * shapes used are spelled out below.
 */
import type { HostMessage } from '../../protocol/messages'
import { startHost } from '../host'
import { VmRunner } from '../sandbox/vmRunner'

interface MessageEventLike {
  data: unknown
  ports?: PortLike[]
}
interface PortLike {
  on(event: 'message', cb: (e: MessageEventLike) => void): void
  on(event: 'close', cb: () => void): void
  postMessage(msg: HostMessage): void
  start(): void
}
interface ParentPortLike {
  on(event: 'message', cb: (e: MessageEventLike) => void): void
  postMessage(msg: HostMessage): void
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
if (!parentPort) {
  process.stderr.write('engine-host: utilityProcess.ts must run in an Electron utility process\n')
  process.exit(2)
}

const runner = new VmRunner()

let deliverDirect: ((data: unknown) => void) | null = null
startHost(
  {
    post: (msg) => parentPort.postMessage(msg),
    onMessage: (cb) => {
      deliverDirect = cb
    },
  },
  runner,
)

function serve(port: PortLike): void {
  startHost(
    {
      post: (msg) => port.postMessage(msg),
      onMessage: (cb) => port.on('message', (e) => cb(e.data)),
    },
    runner,
  )
  port.start()
}

parentPort.on('message', (e) => {
  const port = e.ports?.[0]
  if (port) {
    serve(port)
    return
  }
  deliverDirect?.(e.data)
})
