// A heavier page than the fixture site's: one publisher page that pulls 300 third-party
// requests (200 pixel images with ids and the page URL in their query, 100 scripts, some
// answers setting cookies) from 30 third-party sites, all on 127.0.0.1 through the same
// `MAP *.test` host rule as the fixture site. Bench-local: the fixture server stays as is.
import { listenHttps } from '../test/fixtures/https-fixture.ts';

export const HEAVY_HOST = 'heavy-publisher.test';
const VENDORS = 30;
const IMAGES = 200;
const SCRIPTS = 100;
export const HEAVY_REQUESTS = IMAGES + SCRIPTS;

const GIF_1X1 = Buffer.from(
  'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

export interface HeavySite {
  url: string;
  close(): Promise<void>;
}

function page(port: number): string {
  const origin = `https://${HEAVY_HOST}:${port}`;
  const parts: string[] = ['<!doctype html><meta charset="utf-8"><title>Heavy page</title>'];
  parts.push('<h1>A page with 300 third-party requests</h1>');
  for (let i = 0; i < IMAGES; i++) {
    const v = i % VENDORS;
    const q = new URLSearchParams({
      id: `px-${v}`,
      uid: `u${(i * 7919).toString(36)}${v}x${(i * 104729).toString(36)}`,
      dl: `${origin}/article/${i}?utm_source=bench`,
      ev: 'PageView',
      r: String(i),
    });
    parts.push(
      `<img alt="" width="1" height="1" src="https://px.vendor${v}.test:${port}/p.gif?${q}">`,
    );
  }
  for (let i = 0; i < SCRIPTS; i++) {
    const v = i % VENDORS;
    parts.push(`<script src="https://cdn.vendor${v}.test:${port}/tag.js?v=${i}"></script>`);
  }
  return parts.join('\n');
}

export async function startHeavySite(): Promise<HeavySite> {
  let port = 0;
  const listening = await listenHttps([HEAVY_HOST], (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0] ?? '';
    const path = (req.url ?? '/').split('?')[0];
    const headers: Record<string, string | number> = { 'cache-control': 'no-store' };
    if (host === HEAVY_HOST && path === '/') {
      const body = Buffer.from(page(port));
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.length,
      });
      res.end(body);
    } else if (path === '/p.gif') {
      // Every fourth pixel sets its vendor's id cookie, as ad pixels do.
      const cookie = Number(/[?&]r=(\d+)/.exec(req.url ?? '')?.[1] ?? 0) % 4 === 0;
      res.writeHead(200, {
        ...headers,
        'content-type': 'image/gif',
        'content-length': GIF_1X1.length,
        ...(cookie
          ? {
              'set-cookie': `vid=${Math.random().toString(36).slice(2)}; Max-Age=31536000; Path=/; SameSite=None; Secure`,
            }
          : {}),
      });
      res.end(GIF_1X1);
    } else if (path === '/tag.js') {
      const body = Buffer.from('window.__benchTags = (window.__benchTags || 0) + 1;\n');
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/javascript',
        'content-length': body.length,
      });
      res.end(body);
    } else {
      res.writeHead(404, { ...headers, 'content-length': 0 });
      res.end();
    }
  });
  port = listening.port;
  return { url: `https://${HEAVY_HOST}:${port}/`, close: listening.close };
}
