// Notices a dev server restart from the metrics alone: uptime going back, or its counters starting over.

import { seriesKey } from '../model';
import type { Sample } from '../model';

/** Jitter allowed on uptime (seconds) before a decrease counts as a restart. */
const UPTIME_TOLERANCE = 0.001;
/** Counters remembered per source; beyond this new series are not tracked (cardinality bound). */
const MAX_COUNTERS = 5000;

interface SourceMemory {
  uptime: number | undefined;
  /** Last value seen of every counter, by series key. */
  readonly counters: Map<string, number>;
}

export class RestartDetector {
  private readonly sources = new Map<string, SourceMemory>();

  /**
   * Feeds the samples of one message from a source. True when they show that the server restarted since
   * the previous message: a series with role `uptime` went back, or (without an uptime that went on) most
   * of the counters that were seen before (role requests/errors, or kind counter) decreased at once. True
   * once per restart.
   */
  observe(sourceId: string, samples: readonly Sample[]): boolean {
    let memory = this.sources.get(sourceId);
    if (memory === undefined) {
      memory = { uptime: undefined, counters: new Map() };
      this.sources.set(sourceId, memory);
    }

    const uptime = samples.find((s) => s.role === 'uptime')?.value;
    const uptimeWentBack = uptime !== undefined && memory.uptime !== undefined && uptime < memory.uptime - UPTIME_TOLERANCE;

    const current = new Map<string, number>();
    let compared = 0;
    let decreased = 0;
    for (const s of samples) {
      if (!isCounter(s)) continue;
      const key = seriesKey(s.name, s.labels);
      current.set(key, s.value);
      const previous = memory.counters.get(key);
      if (previous === undefined) continue;
      compared++;
      if (s.value < previous) decreased++;
    }
    // An uptime that went on says the server did not restart, whatever its counters did (some reset per window).
    const uptimeWentOn = uptime !== undefined && memory.uptime !== undefined && !uptimeWentBack;
    const countersReset = !uptimeWentOn && compared > 0 && decreased * 2 > compared;
    const restarted = uptimeWentBack || countersReset;

    if (uptime !== undefined) memory.uptime = uptime;
    // Values from before a restart must not be compared with those after it (or one restart reports twice
    // when a counter is missing from this message and comes back in the next).
    if (restarted) memory.counters.clear();
    for (const [key, value] of current) {
      if (memory.counters.has(key) || memory.counters.size < MAX_COUNTERS) memory.counters.set(key, value);
    }
    if (restarted && uptime === undefined) memory.uptime = undefined;
    return restarted;
  }

  /** Drops what is remembered about a source (removed, or its history cleared). */
  forget(sourceId: string): void {
    this.sources.delete(sourceId);
  }
}

function isCounter(s: Sample): boolean {
  return s.role === 'requests' || s.role === 'errors' || s.kind === 'counter';
}
