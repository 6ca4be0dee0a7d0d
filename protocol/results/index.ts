/**
 * Results model and formats, shared by the CLI and the renderer (pure TypeScript, no Node):
 *
 * - schema.ts, jsonSchema.ts: validate RunResult and ExperimentResult files; JSON Schema
 *   documents for outside tools. Field reference: docs/results-schema.md.
 * - experiment.ts: the ExperimentResult type (one script × variants × seeds).
 * - csv.ts: long-format CSV of series and vmstat counters.
 * - ftrace.ts, ftraceFormats.ts: an ftrace text trace with the kernel's TP_printk formats.
 * - stats.ts, aggregate.ts: Student's t, summaries and metrics aggregated across seeds.
 * - compare.ts: the mmtests-style comparison table, structured and as text.
 */
export type { RunResult, SeriesPoint } from '../result'
export { RESULT_SCHEMA_VERSION } from '../result'
export {
  BASE_VARIANT_LABEL,
  EXPERIMENT_SCHEMA_VERSION,
  makeExperiment,
  runsByVariant,
  variantLabel,
  type ExperimentResult,
} from './experiment'
export {
  ResultSchemaError,
  validateExperiment,
  validateRunResult,
  type SchemaIssue,
} from './schema'
export { experimentJsonSchema, runResultJsonSchema, type JsonSchema } from './jsonSchema'
export { csvField, seriesToCsv, vmstatToCsv, type CsvOptions } from './csv'
export {
  formatFtrace,
  formatTraceFields,
  formatTraceLine,
  ftraceHeader,
  type FtraceOptions,
  type TraceRecord,
} from './ftrace'
export { TRACEPOINT_FORMATS, type TraceFields } from './ftraceFormats'
export {
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  summarize,
  welchTTest,
  type SampleSummary,
  type WelchTest,
} from './stats'
export {
  aggregateMetric,
  extractMetric,
  metricLabel,
  metricUnit,
  seriesNames,
  seriesStat,
  vmstatCounters,
  type MetricAggregate,
  type MetricSpec,
  type SeriesStat,
} from './aggregate'
export {
  compareExperiment,
  defaultMetrics,
  renderComparisonText,
  type CompareOptions,
  type ComparisonCell,
  type ComparisonRow,
  type ComparisonTable,
} from './compare'
