// A backup restore arrives in chunks (../messaging/report-protocol.ts: restoreBegin, Chunk,
// Commit, Abort), because one runtime message is capped (64 MiB in Chrome) and backups grow
// past it. This holds the chunks of the one restore in progress until the page commits; it
// never writes. Uploads are refused out of order, past their declared length, or unfinished,
// and one left idle is dropped, so a page that closed mid-upload does not hold the memory.

export class RestoreUploadError extends Error {}

export interface RestoreUploads {
  /** Starts an upload of `chars` characters, dropping any other one in progress. */
  begin(chars: number): string;
  /** Appends chunk `index` (0, 1, 2, … in order); answers the characters received so far. */
  chunk(id: string, index: number, text: string): number;
  /** The whole text of a complete upload, which ends it; throws when incomplete or unknown. */
  take(id: string): string;
  /** Drops an upload (unknown ids are ignored: it may have expired already). */
  abort(id: string): void;
}

interface Upload {
  id: string;
  chars: number;
  received: number;
  parts: string[];
  timer: ReturnType<typeof setTimeout> | null;
}

const GONE = 'this restore was cancelled or expired; nothing was changed. Start it again.';

export function createRestoreUploads(
  opts: { idleMs?: number; newId?: () => string } = {},
): RestoreUploads {
  const idleMs = opts.idleMs ?? 60_000;
  const newId = opts.newId ?? (() => crypto.randomUUID());
  let current: Upload | null = null;

  const drop = () => {
    if (current?.timer) clearTimeout(current.timer);
    current = null;
  };
  const touch = (u: Upload) => {
    if (u.timer) clearTimeout(u.timer);
    u.timer = setTimeout(() => {
      if (current === u) current = null;
    }, idleMs);
  };
  const find = (id: string): Upload => {
    if (current === null || current.id !== id) throw new RestoreUploadError(GONE);
    return current;
  };

  return {
    begin(chars) {
      drop();
      const u: Upload = { id: newId(), chars, received: 0, parts: [], timer: null };
      current = u;
      touch(u);
      return u.id;
    },
    chunk(id, index, text) {
      const u = find(id);
      if (index !== u.parts.length) {
        drop();
        throw new RestoreUploadError(
          `restore chunk ${index} arrived out of order; nothing was changed`,
        );
      }
      if (u.received + text.length > u.chars) {
        drop();
        throw new RestoreUploadError('restore is longer than announced; nothing was changed');
      }
      u.parts.push(text);
      u.received += text.length;
      touch(u);
      return u.received;
    },
    take(id) {
      const u = find(id);
      drop();
      if (u.received !== u.chars) {
        throw new RestoreUploadError(
          `restore incomplete (${u.received} of ${u.chars} characters); nothing was changed`,
        );
      }
      return u.parts.join('');
    },
    abort(id) {
      if (current?.id === id) drop();
    },
  };
}
