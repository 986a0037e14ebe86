// Stored rows for report tests: a publisher, an authorized tag vendor that piggybacks a
// second vendor, and hostile strings (markup, event-handler breakouts, bidi overrides,
// zero-width characters, formula starts) in every page-derived field.
import type {
  CookieRow,
  FindingRow,
  PageRow,
  PartyRow,
  RequestRow,
} from '../../../src/storage/db.ts';
import type { ReportInput } from '../../../src/report/types.ts';

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attr: '"onerror="alert(1)',
  rtl: 'evil\u202Egnp.exe',
  zw: 'pay\u200Bpal',
  formula: '=HYPERLINK("http://x.test","y")',
};

const T0 = Date.UTC(2025, 0, 2, 10, 0, 0);
const PAGE = `https://news.test/article?q=${encodeURIComponent(HOSTILE.script)}&t="onerror=x`;

const page: PageRow = {
  id: 'p1',
  tabId: 1,
  url: PAGE,
  site: 'news.test',
  visitedAt: T0,
  imported: false,
};

function party(domain: string, extra: Partial<PartyRow> = {}): PartyRow {
  return {
    id: `p1|${domain}`,
    pageId: 'p1',
    site: 'news.test',
    domain,
    hosts: [`www.${domain}`],
    organization: domain,
    category: null,
    firstParty: false,
    sameOrganization: false,
    trackerName: null,
    rule: null,
    list: null,
    authorized: null,
    requests: 1,
    pixels: 0,
    cookiesSet: 0,
    kinds: [],
    dataTypes: [],
    loadedBy: 'page',
    firstSeen: T0 + 10,
    lastSeen: T0 + 20,
    ...extra,
  };
}

function request(
  n: number,
  host: string,
  partyDomain: string,
  extra: Partial<RequestRow> = {},
): RequestRow {
  return {
    id: `r${n}`,
    pageId: 'p1',
    site: 'news.test',
    url: `https://${host}/x?n=${n}`,
    host,
    party: partyDomain,
    type: 'script',
    method: 'GET',
    initiator: 'https://news.test',
    status: 200,
    firstParty: partyDomain === 'news.test',
    tracker: null,
    time: T0 + n,
    ...extra,
  };
}

const cookie: CookieRow = {
  id: 'p1|pixel.test|uid|/',
  pageId: 'p1',
  site: 'news.test',
  name: `${HOSTILE.script}${HOSTILE.attr}${HOSTILE.rtl}`,
  domain: 'pixel.test',
  path: '/',
  party: 'pixel.test',
  firstParty: false,
  setBy: 'header',
  requestUrl: 'https://www.pixel.test/px?uid=1',
  scriptUrl: null,
  expires: T0 + 86_400_000 * 365,
  secure: true,
  httpOnly: false,
  sameSite: 'no_restriction',
  identifierLike: true,
  valueLength: 32,
  entropyBits: 120,
  time: T0 + 30,
};

const finding: FindingRow = {
  id: 1,
  kind: 'page-url-leak',
  pageId: 'p1',
  page: PAGE,
  site: 'news.test',
  party: 'pixel.test',
  host: 'www.pixel.test',
  requestUrl: `https://www.pixel.test/px?u=${encodeURIComponent(PAGE)}&c=${HOSTILE.attr}`,
  dataTypes: ['page-url', 'cookie-id'],
  encoding: 'url',
  explanation: `The page URL was sent to pixel.test in "u" ${HOSTILE.script} ${HOSTILE.zw}`,
  evidence: {
    rule: 'page-url',
    location: 'query',
    key: HOSTILE.formula,
    preview: `${HOSTILE.rtl}, "x"\r\nnext`,
  },
  time: T0 + 31,
};

export function sampleInput(): ReportInput {
  return {
    pages: [page],
    parties: [
      party('news.test', { firstParty: true, hosts: ['news.test'], requests: 2 }),
      party('tagvendor.test', { organization: 'Tag Vendor Inc', category: 'advertising' }),
      party('pixel.test', {
        loadedBy: 'tagvendor.test',
        pixels: 1,
        cookiesSet: 1,
        kinds: ['pixel', 'page-url-leak'],
        dataTypes: ['page-url'],
        trackerName: `Pixel ${HOSTILE.script}`,
        category: 'advertising',
        tagEdges: [
          {
            parent: `https://www.tagvendor.test/t.js?${HOSTILE.attr}`,
            parentParty: 'tagvendor.test',
            child: `https://www.pixel.test/${HOSTILE.script}`,
            tag: 'img',
            time: T0 + 15,
          },
        ],
      }),
    ],
    requests: [
      request(1, 'news.test', 'news.test', { type: 'main_frame', initiator: null }),
      request(2, 'news.test', 'news.test'),
      request(3, 'www.tagvendor.test', 'tagvendor.test'),
      request(4, 'www.pixel.test', 'pixel.test', {
        type: 'image',
        initiator: 'https://www.tagvendor.test',
        tracker: 'pixel',
        url: `https://www.pixel.test/px?u=${encodeURIComponent(PAGE)}`,
      }),
    ],
    cookies: [cookie],
    findings: [finding],
  };
}

export const META = {
  generatorVersion: '0.1.0',
  trackerData: { source: 'Test list', version: '1' },
  createdAt: T0 + 1000,
};
