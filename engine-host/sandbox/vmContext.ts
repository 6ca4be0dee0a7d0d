/**
 * A fresh node:vm realm for one workload: the context (no Node globals, no code generation
 * from strings, its own microtask queue), the scheduler's view of it (Realm), the guest API
 * built inside it, and CommonJS evaluation of the compiled module under a timeout.
 * Shared by vmRunner (runs) and inspect (reading a module's declarations).
 */
import vm from 'node:vm'
import { buildGuest, type Guest } from '../../engine/api/guestKernel'
import type { KernelSys } from '../../engine/api/kernelSys'
import { MMWB_CONSTANTS } from '../../engine/api/runtime'
import { RUN_JOB_SOURCE, type Realm } from '../../engine/sched/realm'

export interface VmSandbox {
  ctx: vm.Context
  realm: Realm
  /** Turns a host function into one created in the context (user code never holds host functions). */
  wrap(f: () => void): () => void
}

export function createVmSandbox(file: string): VmSandbox {
  const ctx = vm.createContext(Object.create(null), {
    name: `workload ${file}`,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  })
  const realm: Realm = {
    Promise: vm.runInContext('Promise', ctx) as PromiseConstructor,
    runJob: vm.runInContext(RUN_JOB_SOURCE, ctx) as Realm['runJob'],
  }
  const wrapper = vm.runInContext(
    '(function (f) { "use strict"; return function () { return f() } })',
    ctx,
  ) as (f: () => void) => () => void
  return { ctx, realm, wrap: wrapper }
}

/** Builds the guest API inside the context and installs its `console`. */
export function installGuest(sb: VmSandbox, sys: KernelSys): Guest {
  const builder = vm.runInContext(`(${buildGuest.toString()})`, sb.ctx, {
    filename: 'mmwb:guest',
  }) as typeof buildGuest
  const guest = builder(sys, { ...MMWB_CONSTANTS })
  Object.defineProperty(sb.ctx, 'console', {
    value: guest.console,
    enumerable: false,
    writable: true,
  })
  return guest
}

/**
 * Evaluates compiled CommonJS code as a module (`exports`, `require`, `module`) inside the
 * context, under `timeoutMs`; returns its exports (an object of the context's realm).
 */
export function loadModule(
  sb: VmSandbox,
  guest: Guest,
  code: string,
  file: string,
  timeoutMs: number,
): Record<string, unknown> {
  const moduleFn = vm.compileFunction(code, ['exports', 'require', 'module'], {
    filename: file,
    parsingContext: sb.ctx,
  })
  const mod = vm.runInContext('({ exports: {} })', sb.ctx) as { exports: Record<string, unknown> }
  const load = vm.runInContext(
    '(function (fn, mod, req) { "use strict"; return function () { fn.call(mod.exports, mod.exports, req, mod) } })',
    sb.ctx,
  ) as (...a: unknown[]) => () => void
  Object.defineProperty(sb.ctx, '__mmwbLoad', {
    value: load(moduleFn, mod, guest.require),
    configurable: true,
  })
  try {
    vm.runInContext('__mmwbLoad()', sb.ctx, { timeout: timeoutMs, filename: 'mmwb:load' })
  } finally {
    delete (sb.ctx as Record<string, unknown>).__mmwbLoad
  }
  return mod.exports
}
