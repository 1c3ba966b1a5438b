import { normalizeLabels } from './labels';
import type { Sample } from '../model';
import type { Labels } from '../../shared/views';
import type { Role, SeriesKind, Unit } from '../../shared/vocabulary';

const NO_LABELS: Labels = [];

/**
 * Collects a message's samples, enforcing the model's invariants in one place: values finite
 * (others dropped), -0 as 0, labels sorted, each role held by one series name (later names lose
 * the role; the same name's other label sets keep it, so a labelled family such as
 * `memory_usage_bytes{service=…}` is heap in every series), and a cap on the count.
 */
export class SampleList {
  readonly samples: Sample[] = [];
  /** Role → the name that holds it. */
  private readonly roles = new Map<Role, string>();
  /** Samples refused because the cap was reached. */
  dropped = 0;

  constructor(private readonly max: number) {}

  /** No more samples fit: callers stop naming and typing the rest. */
  get full(): boolean {
    return this.samples.length >= this.max;
  }

  add(
    name: string,
    value: number | undefined,
    kind: SeriesKind,
    unit: Unit,
    role?: Role,
    labels: ReadonlyArray<readonly [string, string]> = NO_LABELS,
  ): void {
    if (value === undefined || !Number.isFinite(value)) return;
    if (this.samples.length >= this.max) {
      this.dropped++;
      return;
    }
    const v = value === 0 ? 0 : value;
    const sorted = normalizeLabels(labels);
    const holder = role === undefined ? undefined : this.roles.get(role);
    if (role !== undefined && (holder === undefined || (holder === name && labels.length > 0))) {
      this.roles.set(role, name);
      this.samples.push({ name, labels: sorted, value: v, kind, unit, role });
    } else {
      this.samples.push({ name, labels: sorted, value: v, kind, unit });
    }
  }

  hasRole(role: Role): boolean {
    return this.roles.has(role);
  }
}
