#!/usr/bin/env node
'use strict'
// Launcher: runs the TypeScript CLI straight from source through sucrase's require hook,
// so `npx mmwb` works right after `npm ci` with no build step.
require('sucrase/register/ts')
require('../main.ts').main(process.argv.slice(2))
