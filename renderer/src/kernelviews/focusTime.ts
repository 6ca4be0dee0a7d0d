/**
 * The moment the user is looking at (a trace event they clicked), shared by the results
 * area's views: the memory map shows the snapshot at or before it, time-axis charts draw a
 * marker at it, and the kernel files view shows it as time B.
 */
import { createContext, useContext } from 'react'

export interface FocusTime {
  /** Simulated time in ns, or null when nothing is focused. */
  timeNs: number | null
  /** Bumped on every focus, so focusing the same moment twice still moves the views. */
  seq: number
  focus(timeNs: number): void
}

export const FocusTimeContext = createContext<FocusTime>({
  timeNs: null,
  seq: 0,
  focus: () => {},
})

export function useFocusTime(): FocusTime {
  return useContext(FocusTimeContext)
}

/** Index of the last of `times` (ascending) at or before `timeNs`; 0 when all are after it. */
export function indexAtOrBefore(times: readonly number[], timeNs: number): number {
  let lo = 0
  let hi = times.length - 1
  let best = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (times[mid]! <= timeNs) {
      best = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return best
}
