// What a restore or compaction found wrong, capped so a badly damaged file yields a short report.

const MAX_PROBLEMS = 20;

export class Problems {
  readonly list: string[] = [];
  private extra = 0;
  add(p: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(p);
    else this.extra++;
  }
  done(): string[] {
    return this.extra > 0 ? [...this.list, `…and ${this.extra} more problems`] : this.list;
  }
}
