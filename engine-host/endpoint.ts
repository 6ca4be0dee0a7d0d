/**
 * The one thing a transport provides to the host: a way to post a message and a way to
 * receive raw (unvalidated) data. Child process, Electron utility process and Web Worker
 * each adapt their channel to this.
 */
import type { HostMessage } from '../protocol/messages'

export interface Endpoint {
  post(msg: HostMessage): void
  onMessage(cb: (data: unknown) => void): void
}
