/**
 * The boundary check for everything engine-host sends: a message is used only after
 * protocol/guards.ts accepts it. Returns the message, or why it was rejected.
 */
import type { HostMessage } from '../../../protocol/messages'
import { parseHostMessage } from '../../../protocol/guards'

export function validateHostMessage(data: unknown): HostMessage | string {
  try {
    return parseHostMessage(data)
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}
