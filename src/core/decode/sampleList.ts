import { normalizeLabels } from './labels';
import type { Labels, Role, Sample, SeriesKind, Unit } from '../model';

const NO_LABELS: Labels = [];

/**
 * Collects a message's samples, enforcing the model's invariants in one place: values finite
 * (others dropped), -0 as 0, labels sorted, at most one series per role (later ones lose the
 * role, so consumers looking a role up never have to choose), and a cap on the count.
 */
export class SampleList {
  readonly samples: Sample[] = [];
  private readonly roles = new Set<Role>();
  /** Samples refused because the cap was reached. */
  dropped = 0;

  constructor(private readonly max: number) {}

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
    if (role !== undefined && !this.roles.has(role)) {
      this.roles.add(role);
      this.samples.push({ name, labels: sorted, value: v, kind, unit, role });
    } else {
      this.samples.push({ name, labels: sorted, value: v, kind, unit });
    }
  }

  hasRole(role: Role): boolean {
    return this.roles.has(role);
  }
}
