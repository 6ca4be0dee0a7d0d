/**
 * The script realm as the scheduler sees it. V8 queues a promise reaction on the microtask
 * queue of the realm the *handler* function was created in; under node:vm a script's realm
 * has its own queue (microtaskMode 'afterEvaluate'), drained inside the sandbox's time limit.
 * So the scheduler must create promises with the realm's Promise and attach handlers that
 * were themselves created in the realm; `runJob` is such a helper, made inside the realm
 * (see SAME_REALM_RUN_JOB_SOURCE) so that a task body starts from the realm's queue.
 */
export interface Realm {
  /** The realm's Promise constructor. */
  Promise: PromiseConstructor
  /**
   * Calls `fn` from a promise job of the realm, then `onDone` or `onError` with its
   * settlement. Must be a function created in the realm.
   */
  runJob(fn: () => unknown, onDone: () => void, onError: (error: unknown) => void): void
}

/** Source of `runJob`, to be evaluated inside the script realm. */
export const RUN_JOB_SOURCE =
  '(function (fn, ok, fail) { "use strict"; Promise.resolve().then(function () { return fn() })' +
  '.then(function () { ok() }, function (e) { fail(e) }) })'

/** The realm this code runs in (Web Worker runner, tests). */
export const CURRENT_REALM: Realm = {
  Promise,
  runJob(fn, onDone, onError) {
    Promise.resolve()
      .then(fn)
      .then(() => onDone(), onError)
  },
}
