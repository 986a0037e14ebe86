// `npm run package` zips each store's build with a dependency-free writer; this reads the
// archives back with an independent reader so a broken header would not go unnoticed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { zipDirectory } from '../../../scripts/package.mjs';

/** Entries from the central directory, each checked against its local header and CRC. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data), `crc of ${name}`).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength;
  }
  return files;
}

const dir = mkdtempSync(join(tmpdir(), 'leakwatch-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zipDirectory', () => {
  it('stores every file under its relative path, readable and byte-identical', () => {
    mkdirSync(join(dir, 'icons'));
    mkdirSync(join(dir, 'src/ui/popup'), { recursive: true });
    const files: Record<string, Buffer> = {
      'manifest.json': Buffer.from('{"manifest_version":3,"name":"Leakwatch"}\n'),
      'background.js': Buffer.from('console.log("x");\n'.repeat(500)),
      'src/ui/popup/popup.html': Buffer.from('<!doctype html><title>é</title>'),
      'icons/16.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 255, 0]),
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
    const zip = zipDirectory(dir);
    const read = unzip(zip);
    expect([...read.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [name, data] of Object.entries(files)) expect(read.get(name)).toEqual(data);
    // Text compresses, so it is deflated.
    expect(zip.length).toBeLessThan(files['background.js']!.length);
  });

  it('gives the same bytes for the same files (reproducible uploads)', () => {
    expect(zipDirectory(dir).equals(zipDirectory(dir))).toBe(true);
  });
});
