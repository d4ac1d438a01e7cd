/** Log levels, most to least verbose. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Writes leveled messages to stderr and, on a terminal, a progress bar with ETA. */
export class CliLog {
  private readonly threshold: number;
  private progressShown = false;

  constructor(
    level: LogLevel = "info",
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  private emit(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) < this.threshold) return;
    this.clearProgress();
    this.stream.write(`${level === "info" ? "" : `${level}: `}${message}\n`);
  }

  /** Detail for debugging. */
  debug(message: string): void {
    this.emit("debug", message);
  }
  /** Normal progress messages. */
  info(message: string): void {
    this.emit("info", message);
  }
  /** Something odd that did not stop the work. */
  warn(message: string): void {
    this.emit("warn", message);
  }
  /** A failure. */
  error(message: string): void {
    this.emit("error", message);
  }

  /**
   * Starts a progress bar for `total` steps; shown only on a terminal and only once the work has
   * taken longer than a second. Returns a function to call with the number of steps done.
   */
  progress(label: string, total: number): (done: number) => void {
    const start = Date.now();
    const tty = this.stream.isTTY === true && this.threshold <= LOG_LEVELS.indexOf("info");
    return (done: number) => {
      if (!tty) return;
      const elapsed = (Date.now() - start) / 1000;
      if (elapsed < 1 && done < total) return;
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
      this.stream.write(`\r${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ETA ${eta.toFixed(1)} s`);
      this.progressShown = true;
      if (done >= total) this.clearProgress();
    };
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.stream.write("\r\x1b[2K");
      this.progressShown = false;
    }
  }
}
