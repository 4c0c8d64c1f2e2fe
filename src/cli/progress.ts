/**
 * A progress bar on stderr (cli-progress), drawn only when stderr is a terminal, so that piped
 * output, CI logs and `--json` stay clean. Reusable by run, sweep and analyze.
 */
import cliProgress from 'cli-progress';

// cli-progress is CommonJS: Node's named-export detection misses `Format`, so take all from the default
const { Format, Presets, SingleBar } = cliProgress;

/** A progress display: a no-op when stderr is not a terminal. */
export interface Progress {
  /** Sets the count done, and optionally the detail text shown after it (e.g. "probes 2/3"). */
  update(done: number, detail?: string): void;
  /** Adds `delta` to the count done. */
  increment(delta?: number, detail?: string): void;
  /** Prints a line above the bar (or plainly when there is no bar), e.g. a notice. */
  log(line: string): void;
  /** Removes the bar; call once at the end, also on failure. */
  stop(): void;
}

/** Options of createProgress. */
export interface ProgressOptions {
  /** Text before the bar, e.g. the config name. */
  readonly label: string;
  /** How many units make 100%. */
  readonly total: number;
  /** What one unit is, e.g. 'steps' or 'runs'. */
  readonly unit: string;
  /** Where to draw; default process.stderr. The bar is drawn only when this stream is a TTY. */
  readonly stream?: NodeJS.WriteStream;
}

/** Creates a progress bar showing done/total units, a detail text and the ETA. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) {
    return {
      update() {},
      increment() {},
      log(line) {
        stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {value}/{total} ${options.unit} {detail}| ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 5,
      // before the first unit is done the ETA is unknown (cli-progress passes 'INF' or 'NULL'): show '?'
      formatTime: (seconds, barOptions, roundTo) =>
        typeof seconds === 'number' && Number.isFinite(seconds) ? Format.TimeFormat(seconds, barOptions, roundTo) : '?',
    },
    Presets.shades_classic,
  );
  bar.start(options.total, 0, { detail: '' });
  let isStopped = false;
  return {
    update(done, detail) {
      bar.update(done, detail === undefined ? {} : { detail: `| ${detail} ` });
    },
    increment(delta = 1, detail) {
      bar.increment(delta, detail === undefined ? {} : { detail: `| ${detail} ` });
    },
    log(line) {
      // clear the bar's line, print, and let the next update redraw the bar
      stream.write(`\r\x1b[K${line}\n`);
      bar.render();
    },
    stop() {
      if (isStopped) return;
      isStopped = true;
      bar.stop();
    },
  };
}
