// Turns webRequest `requestBody` into our capped RequestBody. Bodies can be megabytes
// (uploads); we keep at most MAX_BODY_CHARS so a page cannot make us hold its uploads.
import { MAX_BODY_CHARS, type RequestBody } from '../core/model.ts';
import { asRecord } from './raw.ts';

/** At most this many form fields and values per field are kept. */
const MAX_FORM_FIELDS = 500;
const MAX_FORM_VALUES = 50;

export function convertRequestBody(value: unknown): RequestBody | null {
  const body = asRecord(value);
  if (!body) return null;
  const form = asRecord(body['formData']);
  if (form) return convertForm(form);
  if (Array.isArray(body['raw'])) return convertRaw(body['raw']);
  return null;
}

function convertForm(form: Record<string, unknown>): RequestBody {
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let chars = 0;
  let truncated = false;
  let count = 0;
  for (const [name, raw] of Object.entries(form)) {
    if (count++ >= MAX_FORM_FIELDS) {
      truncated = true;
      break;
    }
    // Chrome and Firefox give string[]; be tolerant of a bare string.
    const values = Array.isArray(raw) ? raw : [raw];
    const kept: string[] = [];
    for (const v of values.slice(0, MAX_FORM_VALUES)) {
      if (typeof v !== 'string') continue;
      const room = MAX_BODY_CHARS - chars;
      if (room <= 0) {
        truncated = true;
        break;
      }
      const piece = v.length > room ? v.slice(0, room) : v;
      if (piece.length < v.length) truncated = true;
      kept.push(piece);
      chars += piece.length + name.length;
    }
    if (values.length > MAX_FORM_VALUES) truncated = true;
    fields[name] = kept;
  }
  return { kind: 'form', fields, truncated };
}

function convertRaw(parts: unknown[]): RequestBody | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  let sawFile = false;
  // UTF-8 needs at most 4 bytes per char; this many bytes always cover MAX_BODY_CHARS.
  const byteCap = MAX_BODY_CHARS * 4;
  for (const p of parts) {
    const part = asRecord(p);
    if (!part) continue;
    if (typeof part['file'] === 'string') sawFile = true;
    const bytes = toBytes(part['bytes']);
    if (!bytes) continue;
    const room = byteCap - total;
    if (room <= 0) {
      truncated = true;
      break;
    }
    const slice = bytes.byteLength > room ? bytes.subarray(0, room) : bytes;
    if (slice.byteLength < bytes.byteLength) truncated = true;
    chunks.push(slice);
    total += slice.byteLength;
  }
  if (chunks.length === 0) {
    return sawFile ? { kind: 'text', text: '', truncated: true, binary: true } : null;
  }
  const all = concat(chunks, total);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(all);
  // U+FFFD means invalid UTF-8 (or a cut multi-byte char at the cap); NUL means binary.
  const tail = truncated ? text.slice(0, -1) : text;
  const binary = tail.includes('\u0000') || tail.includes('\uFFFD');
  const capped = text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
  return {
    kind: 'text',
    text: capped,
    truncated: truncated || capped.length < text.length,
    binary,
  };
}

function toBytes(value: unknown): Uint8Array | null {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return null;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
