/**
 * One colour per variant, the same in every chart of an experiment: the variant's position in
 * the script's `variants` export picks the colour, so "noboost" is orange in the compaction,
 * latency, outcome and comparison charts alike. The base machine (no variants) takes the first.
 */
export const PALETTE = [
  '#4e9af1',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#7f7f7f',
] as const

/** Colours keyed by variant label, in column order. */
export type VariantColours = ReadonlyMap<string, string>

export function variantColours(labels: readonly string[]): VariantColours {
  return new Map(labels.map((l, i) => [l, PALETTE[i % PALETTE.length]!]))
}

export function colourOf(colours: VariantColours, label: string): string {
  return colours.get(label) ?? PALETTE[PALETTE.length - 1]!
}

/** `#rrggbb` with an alpha, for fills under lines and bar backgrounds. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
