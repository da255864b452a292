/**
 * A progress bar on stderr for runs that take more than a second. Only on a
 * terminal: CI logs and redirected output never see it (the caller decides,
 * see `CliContext.interactive`). The bar redraws one line in place and
 * erases it when the run ends, so the report that follows starts clean.
 */

export interface ProgressOptions {
  /** Writes raw text to the terminal (no newline added). */
  write: (text: string) => void;
  /** Nothing is drawn before this many milliseconds have passed. */
  delayMs?: number;
  width?: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

const ERASE_LINE = '\r\u001b[2K';

export class ProgressBar {
  private readonly started: number;
  private readonly delayMs: number;
  private readonly width: number;
  private readonly now: () => number;
  private drawn = false;
  private last: { done: number; total: number; label: string } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.delayMs = options.delayMs ?? 1000;
    this.width = options.width ?? 24;
    // Draws once the delay has passed even if no new event comes (e.g. one slow dataset);
    // unref'd so it never keeps the process alive.
    this.timer = setTimeout(() => this.draw(), this.delayMs + 5);
    this.timer.unref();
  }

  /** `done` of `total` units finished; `label` names the one in progress. */
  update(done: number, total: number, label: string): void {
    this.last = { done, total, label };
    this.draw();
  }

  /** Erases the bar (if it was drawn) and stops the timer. */
  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.drawn) this.options.write(ERASE_LINE);
    this.drawn = false;
  }

  private draw(): void {
    if (!this.last || this.now() - this.started < this.delayMs || !this.timer) return;
    this.options.write(ERASE_LINE + renderBar(this.last.done, this.last.total, this.last.label, this.width));
    this.drawn = true;
  }
}

/** `[#########---------------] 1/3 checking orders` */
export function renderBar(done: number, total: number, label: string, width: number): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`;
}
