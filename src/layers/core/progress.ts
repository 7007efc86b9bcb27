/**
 * The text of the publish progress notification. A notification is one short paragraph (line breaks collapse
 * and long text is cut off), so it carries counts and the latest event only — "9/16 done · 2 failed ·
 * eu-west-1: published v5" — whatever the number of Regions; each Region's outcome goes to the log as one line,
 * and the result table afterwards lists every Region.
 */
/** A Region's phase as the service reports it ('waiting', 'checking', …, 'done'). */
export type Phase = string;

export const MAX_EVENT_CHARS = 60;

export interface ProgressUpdate {
  /** The notification's message. */
  readonly message: string;
  /** Percent to add to the bar (a Region finished). */
  readonly increment?: number;
  /** A line for the log channel when a Region finished. */
  readonly logLine?: string;
}

export class PublishProgressText {
  private readonly phases = new Map<string, Phase>();
  private done = 0;
  private failed = 0;

  constructor(private readonly regions: readonly string[], private readonly label: string) {
    for (const r of regions) this.phases.set(r, 'waiting');
  }

  update(region: string, phase: Phase, line: string): ProgressUpdate {
    const before = this.phases.get(region);
    this.phases.set(region, phase);
    const finishedNow = phase === 'done' && before !== 'done';
    if (finishedNow) {
      this.done++;
      if (/^failed\b/.test(line)) this.failed++;
    }
    const active = [...this.phases.values()].filter((p) => p !== 'waiting' && p !== 'done').length;
    const event = phase === 'waiting' ? '' : `${region}: ${line}`;
    const shortEvent = event.length > MAX_EVENT_CHARS ? `${event.slice(0, MAX_EVENT_CHARS - 1)}…` : event;
    const parts = [
      this.label,
      `${this.done}/${this.regions.length} done`,
      this.failed ? `${this.failed} failed` : '',
      active ? `${active} in progress` : '',
      shortEvent,
    ].filter(Boolean);
    return {
      message: parts.join(' · '),
      increment: finishedNow ? 100 / Math.max(1, this.regions.length) : undefined,
      logLine: finishedNow ? `${region}: ${line}` : undefined,
    };
  }
}
