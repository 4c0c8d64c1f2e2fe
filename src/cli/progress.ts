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
  /** The ETA text, when the caller estimates it better than by units done (e.g. weighted by work); default cli-progress's. */
  readonly eta?: () => string;
  /**
   * Off a terminal, print a plain progress line (`label: done/total unit | detail | ETA x`) on an
   * update at most this often (milliseconds), and a last one when the total is reached if any was
   * printed: for logs of long runs. Default: no lines.
   */
  readonly lineIntervalMs?: number;
  /** Clock in milliseconds for the line interval (tests inject one); default performance.now. */
  readonly now?: () => number;
}

/** Creates a progress bar showing done/total units, a detail text and the ETA. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) {
    if (options.lineIntervalMs !== undefined) return createLineProgress(options, stream, options.lineIntervalMs);
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
      format: `${options.label} [{bar}] {value}/{total} ${options.unit} {detail}| ETA ${options.eta ? '{eta_text}' : '{eta_formatted}'}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 5,
      // before the first unit is done the ETA is unknown (cli-progress passes 'INF' or 'NULL'): show '?'
      formatTime: (seconds, barOptions, roundTo) =>
        typeof seconds === 'number' && Number.isFinite(seconds) ? Format.TimeFormat(seconds, barOptions, roundTo) : '?',
    },
    Presets.shades_classic,
  );
  const payload = (detail: string | undefined) => ({ ...(detail === undefined ? {} : { detail: `| ${detail} ` }), ...(options.eta ? { eta_text: options.eta() } : {}) });
  bar.start(options.total, 0, { detail: '', ...(options.eta ? { eta_text: options.eta() } : {}) });
  let isStopped = false;
  return {
    update(done, detail) {
      bar.update(done, payload(detail));
    },
    increment(delta = 1, detail) {
      bar.increment(delta, payload(detail));
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

/** Off a terminal: a plain line per update, at most every `intervalMs`, for logs. */
function createLineProgress(options: ProgressOptions, stream: NodeJS.WriteStream, intervalMs: number): Progress {
  const now = options.now ?? (() => performance.now());
  let last = now();
  let done = 0;
  let detail: string | undefined;
  let hasPrinted = false;
  let printedDone = -1;
  let isStopped = false;
  const print = () => {
    printedDone = done;
    const eta = options.eta ? options.eta() : '?';
    stream.write(`${options.label}: ${done}/${options.total} ${options.unit}${detail ? ` | ${detail}` : ''} | ETA ${eta}\n`);
    hasPrinted = true;
    last = now();
  };
  const changed = () => {
    if (isStopped || done === printedDone) return;
    if ((done >= options.total && hasPrinted) || now() - last >= intervalMs) print();
  };
  return {
    update(value, text) {
      done = value;
      if (text !== undefined) detail = text;
      changed();
    },
    increment(delta = 1, text) {
      done += delta;
      if (text !== undefined) detail = text;
      changed();
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    stop() {
      isStopped = true;
    },
  };
}
