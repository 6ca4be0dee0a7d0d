/**
 * engine-host in a Node child process (the CLI and the tests): the protocol travels over the
 * IPC channel of `child_process.fork` (process.send / process.on('message')). The process
 * exits when its parent disconnects, so it never outlives the client.
 *
 * Start it with `fork(require.resolve('engine-host/transports/childProcess.ts'), [],
 * { execArgv: ['-r', require.resolve('sucrase/register/ts')] })`.
 */
import { startHost } from '../host'
import { VmRunner } from '../sandbox/vmRunner'

const send = process.send?.bind(process)
if (!send) {
  process.stderr.write('engine-host: start me with child_process.fork (I need an IPC channel)\n')
  process.exit(2)
}

startHost(
  {
    post: (msg) => {
      if (process.connected) send(msg)
    },
    onMessage: (cb) => process.on('message', cb),
  },
  new VmRunner(),
)
process.on('disconnect', () => process.exit(0))
