/** Progress of a long ingest: a bar on a TTY (cli-progress), a rate in the log otherwise. */
import cliProgress from 'cli-progress';
import { logger } from '../log.js';

export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private readonly started = Date.now();
  private lastLog = Date.now();

  /** `show`: draw a bar (needs a TTY and a known total); default: when stderr is a TTY. */
  constructor(
    private readonly name: string,
    total: number | undefined,
    show = process.stderr.isTTY === true,
  ) {
    if (show && process.stderr.isTTY && total) {
      this.bar = new cliProgress.SingleBar({ format: `${name} [{bar}] {percentage}% {value}/{total} records {rate}/s`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
      this.bar.start(total, 0, { rate: 0 });
    }
  }

  add(n: number): void {
    this.done += n;
    const rate = Math.round((this.done * 1000) / Math.max(1, Date.now() - this.started));
    if (this.bar) this.bar.update(this.done, { rate });
    else if (Date.now() - this.lastLog > 5000) {
      this.lastLog = Date.now();
      logger.info({ sync: this.name, records: this.done, perSecond: rate }, 'ingest progress');
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
