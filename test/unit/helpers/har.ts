// The real captures in ../shared/bench-data/hars, read raw (for tests of single entries).
// Tests that analyse a whole capture use src/core/har.ts, as the CLI and report page do.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Header } from '../../../src/core/model.ts';

export const HAR_DIR = resolve(import.meta.dirname, '../../../../shared/bench-data/hars');

interface HarEntry {
  startedDateTime: string;
  _resourceType?: string;
  _initiator?: string;
  request: { url: string; method: string; headers: Header[]; postData?: { text?: string } };
  response: { status: number; headers: Header[]; content: { size: number; mimeType?: string } };
}

export interface Har {
  pageUrl: string;
  entries: HarEntry[];
}

export function loadHar(name: string): Har {
  const raw = JSON.parse(readFileSync(resolve(HAR_DIR, name), 'utf8')) as {
    log: { entries: HarEntry[] };
  };
  const entries = raw.log.entries;
  return { pageUrl: entries[0]?.request.url ?? '', entries };
}
