// `npm run package` (build, then this script): one zip per store from the builds in dist/:
//   dist/leakwatch-chrome-<version>.zip   (Chrome Web Store)
//   dist/leakwatch-firefox-<version>.zip  (addons.mozilla.org)
// manifest.json sits at the root of each zip, as both stores require. The writer is a
// minimal ZIP (stored/deflate entries, no extras) on node:zlib, so packaging needs no
// dependency. Entries are sorted and carry one fixed timestamp: the same build always gives
// byte-identical zips, so a store upload can be checked against a rebuild.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { deflateRawSync, crc32 } from 'node:zlib';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, 'dist');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps zips reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** A ZIP archive of every file under `dir`, paths relative to it with forward slashes. */
export function zipDirectory(dir) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of filesUnder(dir)) {
    const name = Buffer.from(relative(dir, file).split(sep).join('/'), 'utf8');
    const data = readFileSync(file);
    const deflated = deflateRawSync(data, { level: 9 });
    // Already-compressed files (PNG) can grow under deflate: store those as they are.
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: all zero
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = centrals.length / 2;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let failed = false;
  for (const browser of ['chrome', 'firefox']) {
    const dir = resolve(dist, browser);
    if (!existsSync(resolve(dir, 'manifest.json'))) {
      console.error(`package: no build in dist/${browser} (run \`npm run build\` first)`);
      failed = true;
      continue;
    }
    const manifest = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8'));
    if (manifest.version !== version) {
      console.error(`package: dist/${browser} is version ${manifest.version}, not ${version}`);
      failed = true;
      continue;
    }
    const zip = resolve(dist, `leakwatch-${browser}-${version}.zip`);
    const bytes = zipDirectory(dir);
    writeFileSync(zip, bytes);
    console.log(`${relative(root, zip)} (${Math.round(bytes.length / 1024)} KB)`);
  }
  process.exit(failed ? 1 : 0);
}
