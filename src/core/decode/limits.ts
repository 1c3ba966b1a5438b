/** Bounds and clock every decoder works within (DecodeOptions with defaults filled in). */
export interface Limits {
  /** Deepest JSON nesting walked; deeper values are skipped. */
  readonly maxDepth: number;
  /** Most samples one JSON message may produce. */
  readonly maxLeaves: number;
  /** "Now" in ms, for values relative to the present (connection durations, uptime). */
  readonly now: number;
}
