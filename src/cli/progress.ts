// Per-page progress on stderr: a redrawn bar on a terminal, plain lines otherwise (CI logs
// and pipes must not fill with carriage returns).
import { storableUrl } from '../core/leaks/common.ts';
import { UNSAFE } from '../core/one-line.ts';
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** The number of pages can grow while crawling (--pages). */
  setTotal(total: number): void;
  start(url: string): void;
  done(url: string, error: string | null): void;
  /** Clears a terminal bar before other output. */
  end(): void;
}

const WIDTH = 24;

/**
 * A page's URL as the report stores it: one that may carry personal data (an email in a
 * query, say) is cut to origin, path and parameter names, so that a CI log never holds what
 * the report itself masks.
 */
const shownUrl = (url: string): string => printable(storableUrl(url));

/**
 * URLs come from crawled pages and errors from the browser: no terminal escapes from them,
 * and no bidi override or invisible character that would make a line read otherwise
 * (`a.example/\u202egnp.exe` shows as `a.example/exe.png`). The set is oneLine's.
 */
export const printable = (s: string): string => s.replace(UNSAFE, '?');

export function createProgress(stream: ProgressStream, total: number): Progress {
  let finished = 0;
  let failed = 0;
  let current = '';
  const tty = stream.isTTY === true;
  const draw = (): void => {
    const filled = total === 0 ? 0 : Math.round((finished / total) * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
    const cols = stream.columns ?? 80;
    const text = `${bar} ${finished}/${total}${failed ? ` (${failed} failed)` : ''} ${current}`;
    stream.write(`\r\x1b[K${text.slice(0, cols - 1)}`);
  };
  return {
    setTotal(n) {
      total = n;
      if (tty) draw();
    },
    start(url) {
      current = shownUrl(url);
      if (tty) draw();
    },
    done(rawUrl, rawError) {
      const stored = storableUrl(rawUrl);
      const url = printable(stored);
      // The browser's errors quote the URL they failed on ("net::ERR_… at <url>").
      const error = rawError === null ? null : printable(rawError.split(rawUrl).join(stored));
      finished += 1;
      if (error !== null) failed += 1;
      if (tty) {
        if (error !== null) stream.write(`\r\x1b[Kleakwatch: failed ${url}: ${error}\n`);
        draw();
      } else {
        const status = error === null ? 'ok' : `failed: ${error}`;
        stream.write(`leakwatch: [${finished}/${total}] ${url} ${status}\n`);
      }
    },
    end() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
