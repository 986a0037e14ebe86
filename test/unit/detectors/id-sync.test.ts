import { describe, expect, it } from 'vitest';
import { idSync } from '../../../src/core/detectors/id-sync.ts';
import { cookie, harness, req } from '../leaks/helpers.ts';

const UID = 'KBj6rbe8Xq';

describe('id-sync', () => {
  it('flags a third party cookie id sent to another company, base64-encoded too', () => {
    const h = harness([idSync]);
    h.cookie(cookie('_kuid_', UID, 'krxd.net'));
    const [plain] = h.request(req(`https://idsync.rlcdn.com/1.gif?partner_uid=${UID}`));
    expect(plain).toMatchObject({ kind: 'id-sync', party: 'rlcdn.com', encoding: 'plain' });
    expect(plain?.evidence).toMatchObject({
      key: 'partner_uid',
      cookieName: '_kuid_',
      preview: 'KB…q',
    });
    expect(plain?.evidence.details).toMatchObject({ from: 'krxd.net', to: 'rlcdn.com' });
    const [b64] = h.request(req(`https://cm.g.doubleclick.net/pixel?google_hm=${btoa(UID)}`));
    expect(b64?.encoding).toBe('base64');
  });

  it('learns ids from the Cookie header of a request to their owner and from its redirect', () => {
    const h = harness([idSync]);
    h.request(
      req('http://i.w55c.net/ping_match.gif?st=Krux', {
        requestHeaders: [{ name: 'Cookie', value: 'wfivefivec=CHUz7sBf1zvM3H2' }],
        redirectUrl: 'http://beacon.krxd.net/usermatch.gif?partner=dataxu&uid=CHUz7sBf1zvM3H2',
      }),
    );
    const [f] = h.request(
      req('http://beacon.krxd.net/usermatch.gif?partner=dataxu&uid=CHUz7sBf1zvM3H2'),
    );
    expect(f?.evidence.details).toMatchObject({ from: 'w55c.net', to: 'krxd.net' });
  });

  /** A request to `url` with a Cookie header; syncOf: Krux's usermatch of `uid`, its finding. */
  const withCookie = (h: ReturnType<typeof harness>, url: string, header: string) =>
    h.request(req(url, { requestHeaders: [{ name: 'Cookie', value: header }] }));
  const syncOf = (h: ReturnType<typeof harness>, uid: string) =>
    h.request(req(`http://beacon.krxd.net/usermatch.gif?partner=dataxu&uid=${uid}`))[0];

  it("learns a party's renewed cookie id from its Cookie header, after the same header repeated", () => {
    const h = harness([idSync]);
    const toDataxu = (uid: string) =>
      withCookie(h, 'http://i.w55c.net/ping.gif', `theme=1; wfivefivec=${uid}`);
    toDataxu('CHUz7sBf1zvM3H2');
    toDataxu('CHUz7sBf1zvM3H2'); // the same header again: nothing new
    // Another party's identical header is its own: its ids are learned as that party's.
    withCookie(h, 'https://pixel.tapad.com/t.gif', 'theme=1; wfivefivec=CHUz7sBf1zvM3H2');
    const renewed = 'Rq7LmZ2xWp4Ks9T';
    toDataxu(renewed);
    expect(syncOf(h, renewed)?.evidence.details).toMatchObject({
      from: 'w55c.net',
      to: 'krxd.net',
    });
  });

  it('still learns ids from Cookie headers past what the page keeps of them', () => {
    const h = harness([idSync]);
    const junk = Array.from({ length: 18 }, (_, i) => `j${i}=${'x'.repeat(4000)}`).join('; ');
    // 72 KB headers to many parties: more than the page remembers (64 K characters).
    for (let i = 0; i < 3; i++) withCookie(h, `https://sync${i}.partner${i}.example/p`, junk);
    const toDataxu = (uid: string) =>
      withCookie(h, 'http://i.w55c.net/ping.gif', `${junk}; wfivefivec=${uid}`);
    toDataxu('Tq3LmZ8xWp2Ks7R');
    toDataxu('Tq3LmZ8xWp2Ks7R');
    const renewed = 'Hv5NcX1qRb8Ld4W';
    toDataxu(renewed);
    expect(syncOf(h, renewed)?.evidence.details).toMatchObject({
      from: 'w55c.net',
      to: 'krxd.net',
    });
  });

  it('attributes ids a third-party frame fans out to exchanges', () => {
    const h = harness([idSync]);
    const frame = 'https://p.rfihub.com/ca.html?rb=396';
    expect(
      h.request(
        req('https://us-u.openx.net/w/1.0/sd?id=5&val=786792932447527911', { documentUrl: frame }),
      ),
    ).toEqual([]);
    const [f] = h.request(
      req('https://pixel.rubiconproject.com/tap.php?put=786792932447527911', {
        documentUrl: frame,
      }),
    );
    expect(f?.evidence.details).toMatchObject({ from: 'rfihub.com', to: 'rubiconproject.com' });
  });

  it('does not report a company passing its own id between its own domains, or to the site', () => {
    const h = harness([idSync]);
    h.cookie(cookie('IDE', 'AHWqTUkl3x9Q', 'doubleclick.net'));
    expect(h.request(req('https://www.google-analytics.com/collect?x=AHWqTUkl3x9Q'))).toEqual([]);
    expect(h.request(req('https://shop.example.com/api?x=AHWqTUkl3x9Q'))).toEqual([]);
  });

  it('ignores consent strings and click ids', () => {
    const h = harness([idSync]);
    const tcf = 'CPxyzABPxyzABAGABCENCZCsAP_AAH_AAAqIHWtf';
    h.cookie(cookie('uid', tcf, 'adsrvr.org'));
    expect(h.request(req(`https://sync.example-dsp.com/s?gdpr_consent=${tcf}`))).toEqual([]);
    h.cookie(cookie('uid2', 'EAIaIQobChMI8', 'adsrvr.org'));
    expect(h.request(req('https://ads.other.example/c?gclid=EAIaIQobChMI8'))).toEqual([]);
  });

  it.each([['true'], ['en'], ['42'], ['1736942400']])(
    'never syncs the low-information value %s',
    (v) => {
      const h = harness([idSync]);
      h.cookie(cookie('v', v, 'krxd.net'));
      expect(h.request(req(`https://idsync.rlcdn.com/1.gif?partner_uid=${v}`))).toEqual([]);
    },
  );
});
