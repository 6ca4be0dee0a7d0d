/**
 * Exit status of `mmwb`, by outcome. Documented in `mmwb --help` and cli/README.md; scripts
 * and CI may rely on these numbers.
 */
export const EXIT = {
  /** The command did what was asked. */
  OK: 0,
  /** The workload threw, deadlocked, or its `machine`/`variants` export is invalid. */
  SCRIPT_ERROR: 1,
  /** Bad command line, or the script file does not exist. */
  USAGE: 2,
  /** The workload exceeded its wall-clock budget (--budget-ms) or was cancelled. */
  TIMEOUT: 3,
  /** The workload does not parse (the message names file:line:column). */
  SYNTAX_ERROR: 4,
  /** The model's invariant checker failed at the end of the run (a bug in the model). */
  INVARIANT: 5,
  /** The workload used more memory than the sandbox allows. */
  OUT_OF_MEMORY: 6,
  /** engine-host crashed or misbehaved, or mmwb itself failed (a bug: please report it). */
  INTERNAL: 7,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** Maps an engine-host error name (protocol HostErrorName) to an exit status. */
export function exitCodeFor(errorName: string): ExitCode {
  switch (errorName) {
    case 'ScriptError':
    case 'ConfigError':
      return EXIT.SCRIPT_ERROR
    case 'ScriptTimeout':
    case 'ScriptCancelled':
      return EXIT.TIMEOUT
    case 'ScriptSyntaxError':
      return EXIT.SYNTAX_ERROR
    case 'InvariantViolation':
      return EXIT.INVARIANT
    case 'ScriptOutOfMemory':
      return EXIT.OUT_OF_MEMORY
    default:
      return EXIT.INTERNAL
  }
}

export const EXIT_CODES_HELP = `Exit status:
  0  success
  1  the script threw, deadlocked, or exports an invalid machine/variants
  2  usage error or missing script file
  3  the script exceeded its time budget (--budget-ms) or was cancelled
  4  syntax error in the script (reported as file:line:column)
  5  the model's invariant checker failed (a bug in the model)
  6  the script used more memory than the sandbox allows
  7  engine-host crashed, or an internal error (a bug in the simulator or mmwb)`
