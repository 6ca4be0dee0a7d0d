// ESLint flat config. Besides the usual TypeScript rules it enforces the dependency
// direction of the layers (see README "Layout"):
//   engine      imports nothing of ours and nothing from Node, Electron, React or the DOM
//   protocol    may import engine types only
//   main        never imports engine (the model runs only in engine-host)
//   preload     imports only electron and protocol
//   renderer    never imports Electron or Node, nor main/cli/engine-host/preload
//   nothing     imports from main, renderer, cli or engine-host (except within themselves)
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'vm', 'http', 'https',
  'net', 'crypto', 'url', 'util', 'stream', 'events', 'module', 'process', 'buffer',
]
const layer = (name, message) => ({ group: [`**/${name}`, `**/${name}/**`], message })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'cli/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' } },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts', 'engine/**/*.testutil.ts', 'engine/**/*.bench.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'react', 'react-dom'],
        patterns: [
          { group: nodeBuiltins, message: 'engine/ is pure TypeScript: no Node imports.' },
          layer('protocol', 'engine/ imports nothing of ours.'),
          layer('engine-host', 'engine/ imports nothing of ours.'),
          layer('main', 'engine/ imports nothing of ours.'),
          layer('renderer', 'engine/ imports nothing of ours.'),
          layer('cli', 'engine/ imports nothing of ours.'),
          layer('preload', 'engine/ imports nothing of ours.'),
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'self', 'process', 'require', 'Buffer', 'setTimeout', 'setInterval', 'performance'],
      // Per-machine state lives in the machine's registry (engine/mm/machineState.ts), where
      // snapshot() finds it; a module-level side table would be left out of snapshots.
      'no-restricted-syntax': ['error', {
        selector: "NewExpression[callee.name='WeakMap']",
        message: 'No module-level WeakMap side tables in engine/: use defineMachineState (plain data, snapshotted) or defineMachineObservers (callbacks) from engine/mm/machineState.ts.',
      }],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'react'],
        patterns: [
          { group: nodeBuiltins, message: 'protocol/ runs in every process: no Node imports.' },
          layer('engine-host', 'protocol/ may import engine types only.'),
          layer('main', 'protocol/ may import engine types only.'),
          layer('renderer', 'protocol/ may import engine types only.'),
          layer('cli', 'protocol/ may import engine types only.'),
        ],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          layer('engine', 'main/ never imports engine/: the model runs only in engine-host.'),
          layer('renderer', 'main/ never imports renderer/.'),
          layer('cli', 'main/ never imports cli/.'),
        ],
      }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          layer('engine', 'preload/ imports only electron and protocol.'),
          layer('engine-host', 'preload/ imports only electron and protocol.'),
          layer('main', 'preload/ imports only electron and protocol.'),
          layer('renderer', 'preload/ imports only electron and protocol.'),
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.web.config.mts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron'],
        patterns: [
          { group: nodeBuiltins, message: 'renderer/ never imports Node.' },
          layer('main', 'renderer/ never imports main/.'),
          layer('cli', 'renderer/ never imports cli/.'),
          layer('engine-host', 'renderer/ talks to engine-host only through protocol messages.'),
          layer('preload', 'renderer/ sees the preload only through its types in protocol/.'),
        ],
      }],
    },
  },
  {
    files: ['engine-host/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'react'],
        patterns: [
          layer('main', 'Nothing imports from main/.'),
          layer('renderer', 'Nothing imports from renderer/.'),
        ],
      }],
    },
  },
)
