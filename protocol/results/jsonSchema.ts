/**
 * JSON Schema (draft 2020-12) documents for result files, so tools outside MM Workbench
 * (Python's `jsonschema`, `ajv`, editors) can validate `mmwb run --json` and
 * `mmwb compare --json` output. They describe the same rules as schema.ts, minus the ones JSON
 * Schema cannot state: points of a series in time order and not after `simTimeNs`, and runs
 * agreeing with the experiment header.
 */
import { RESULT_SCHEMA_VERSION } from '../result'
import { EXPERIMENT_SCHEMA_VERSION } from './experiment'

/** A JSON Schema document (a plain JSON object). */
export type JsonSchema = { [key: string]: unknown }

const count = { type: 'integer', minimum: 0 }

const runResultProperties = {
  schemaVersion: {
    type: 'integer',
    minimum: 1,
    maximum: RESULT_SCHEMA_VERSION,
    description: 'Version of the RunResult format; readers refuse versions newer than their own.',
  },
  script: { type: 'string', description: 'Display path of the workload script.' },
  seed: { ...count, description: "Seed of the run's RNG." },
  variant: {
    type: ['string', 'null'],
    minLength: 1,
    description: 'Name of the variant run, or null for the base machine.',
  },
  machine: {
    type: 'object',
    description: 'The validated machine configuration of the run, as plain JSON.',
  },
  simTimeNs: {
    type: 'number',
    minimum: 0,
    description: 'Simulated time at the end of the run, in nanoseconds.',
  },
  series: {
    type: 'object',
    description: 'Series by name; each a list of [timeNs, value] points in simulated time order.',
    propertyNames: { minLength: 1 },
    additionalProperties: {
      type: 'array',
      items: {
        type: 'array',
        prefixItems: [
          { type: 'number', minimum: 0, description: 'Simulated time in ns.' },
          { type: 'number' },
        ],
        items: false,
        minItems: 2,
      },
    },
  },
  vmstat: {
    type: 'object',
    description: '/proc/vmstat counters at the end of the run, by the kernel names.',
    additionalProperties: count,
  },
  proc: {
    type: 'object',
    description: 'Kernel text files at the end of the run, keyed by absolute path.',
    propertyNames: { pattern: '^/' },
    additionalProperties: { type: 'string' },
  },
  log: { type: 'array', items: { type: 'string' }, description: 'Lines printed by the script.' },
  wall: {
    type: 'object',
    description: 'Wall-clock facts; the only part of a result that is not deterministic.',
    properties: { elapsedMs: { type: 'number', minimum: 0 } },
    required: ['elapsedMs'],
  },
}

const scalar = { type: ['number', 'string', 'boolean'] }

/** Optional properties (added without a version bump: older readers ignore them). */
const optionalRunResultProperties = {
  histograms: {
    type: 'object',
    description:
      'Latency histograms in simulated ns: buckets[0] counts values below 2, buckets[i] values in [2^i, 2^(i+1)).',
    additionalProperties: {
      type: 'object',
      properties: {
        unit: { type: 'string', pattern: '^ns$' },
        count,
        sum: { type: 'number', minimum: 0 },
        min: { type: 'number', minimum: 0 },
        max: { type: 'number', minimum: 0 },
        buckets: { type: 'array', items: count },
      },
      required: ['unit', 'count', 'sum', 'min', 'max', 'buckets'],
    },
  },
  events: {
    type: 'array',
    description: 'Outcome records (cma_alloc, alloc_contig_range, virtio_mem, migrate_pages, ...).',
    items: {
      type: 'object',
      properties: {
        timeNs: { type: 'number', minimum: 0 },
        kind: { type: 'string' },
        fields: { type: 'object', additionalProperties: scalar },
      },
      required: ['timeNs', 'kind', 'fields'],
    },
  },
  violation: {
    type: 'object',
    description: 'The invariant violation that ended the run, when its variant expected one.',
    properties: {
      rule: { type: 'string' },
      pfn: { type: 'integer', minimum: -1 },
      event: { type: 'string' },
      message: { type: 'string' },
      timeNs: { type: 'number', minimum: 0 },
    },
    required: ['rule', 'pfn', 'event', 'message', 'timeNs'],
  },
  expect: {
    type: 'object',
    description: "The variant's declared expectation and whether the run met it.",
    properties: { invariantViolation: { type: 'string' }, met: { type: 'boolean' } },
    required: ['invariantViolation', 'met'],
  },
}

/** JSON Schema of a RunResult (protocol/result.ts). */
export const runResultJsonSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://mm-workbench.invalid/schema/run-result.json',
  title: 'MM Workbench RunResult',
  type: 'object',
  properties: { ...runResultProperties, ...optionalRunResultProperties },
  required: Object.keys(runResultProperties),
}

/** JSON Schema of an ExperimentResult (protocol/results/experiment.ts). */
export const experimentJsonSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://mm-workbench.invalid/schema/experiment.json',
  title: 'MM Workbench ExperimentResult',
  type: 'object',
  properties: {
    schemaVersion: { type: 'integer', minimum: 1, maximum: EXPERIMENT_SCHEMA_VERSION },
    script: { type: 'string' },
    variants: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Variant names in column order; the first is the baseline.',
    },
    seeds: { type: 'array', items: count, uniqueItems: true },
    runs: { type: 'array', items: { $ref: '#/$defs/RunResult' } },
  },
  required: ['schemaVersion', 'script', 'variants', 'seeds', 'runs'],
  $defs: {
    RunResult: {
      type: 'object',
      properties: runResultProperties,
      required: Object.keys(runResultProperties),
    },
  },
}
