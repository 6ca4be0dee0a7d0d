#!/usr/bin/env node
'use strict'
// Launcher of the workload-API fuzzer's long mode (cli/fuzz.ts), from source through sucrase.
require('sucrase/register/ts')
require('../fuzz.ts')
  .fuzzMain(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code
    },
    (e) => {
      process.stderr.write(`fuzz: ${e && e.name === 'UsageError' ? '' : 'internal error: '}${e && e.message}\n`)
      process.exitCode = e && e.name === 'UsageError' ? 2 : 7
    },
  )
