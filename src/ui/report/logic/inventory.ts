// "Exactly what is stored": every table and field of src/storage/db.ts in plain words, and
// what never is. Kept next to the schema's meaning, not generated from it, because the
// point is the explanation; a unit test checks it names every field of every row type.
export interface TableInfo {
  table: 'pages' | 'requests' | 'cookies' | 'parties' | 'findings' | 'meta';
  what: string;
  fields: [name: string, meaning: string][];
}

export const STORED: TableInfo[] = [
  {
    table: 'pages',
    what: 'One row per page visit (or imported HAR page).',
    fields: [
      ['id', 'visit id'],
      ['tabId', 'browser tab number (-1 for imports)'],
      ['url', 'page address; without parameter values when it carried personal data'],
      ['site', 'registrable domain'],
      ['visitedAt', 'time of the visit'],
      ['imported', 'came from a HAR file'],
    ],
  },
  {
    table: 'requests',
    what: 'One row per request a page made.',
    fields: [
      ['id', 'request id'],
      ['pageId', 'the visit'],
      ['site', 'the visit’s site'],
      ['url', 'request address; without parameter values when it carried personal data'],
      ['host', 'host name'],
      ['party', 'host’s registrable domain'],
      ['type', 'script, image, beacon…'],
      ['method', 'GET, POST…'],
      ['initiator', 'origin that started it'],
      ['status', 'HTTP status'],
      ['firstParty', 'same site as the page'],
      ['tracker', 'tracker-list pattern it matched'],
      ['time', 'when'],
    ],
  },
  {
    table: 'cookies',
    what: 'One row per cookie per visit: never the value.',
    fields: [
      ['id', 'visit, domain, name and path'],
      ['pageId', 'the visit'],
      ['site', 'the visit’s site'],
      ['name', 'cookie name'],
      ['domain', 'cookie domain'],
      ['path', 'cookie path'],
      ['party', 'domain’s registrable domain'],
      ['firstParty', 'set for the page’s own site'],
      ['setBy', 'response header, script or cookies API'],
      ['requestUrl', 'response that set it'],
      ['scriptUrl', 'script that wrote it, when known'],
      ['expires', 'expiry time'],
      ['secure', 'Secure flag'],
      ['httpOnly', 'HttpOnly flag'],
      ['sameSite', 'SameSite setting'],
      ['identifierLike', 'the value looked like a unique id'],
      ['valueLength', 'length of the value'],
      ['entropyBits', 'how random the value looked, in bits'],
      ['time', 'when'],
    ],
  },
  {
    table: 'parties',
    what: 'One row per third (or first) party per visit, added up.',
    fields: [
      ['id', 'visit and domain'],
      ['pageId', 'the visit'],
      ['site', 'the visit’s site'],
      ['domain', 'party’s registrable domain'],
      ['hosts', 'host names seen'],
      ['organization', 'company'],
      ['category', 'tracker category'],
      ['firstParty', 'the site itself'],
      ['sameOrganization', 'owned by the site’s company'],
      ['trackerName', 'tracker product name'],
      ['rule', 'list rule that matched'],
      ['list', 'tracker list and version'],
      ['authorized', 'on the publisher’s authorized list'],
      ['requests', 'request count'],
      ['pixels', 'pixel count'],
      ['cookiesSet', 'cookies set'],
      ['kinds', 'kinds of findings'],
      ['dataTypes', 'kinds of data taken'],
      ['loadedBy', 'who brought it in'],
      ['firstSeen', 'first time seen'],
      ['lastSeen', 'last time seen'],
    ],
  },
  {
    table: 'findings',
    what: 'One row per thing a party was caught doing, with its evidence.',
    fields: [
      ['id', 'row number'],
      ['kind', 'what kind of finding'],
      ['pageId', 'the visit'],
      ['page', 'page address (as above)'],
      ['site', 'the visit’s site'],
      ['party', 'party’s registrable domain'],
      ['host', 'host name'],
      ['requestUrl', 'request that carried the data'],
      ['dataTypes', 'kinds of data'],
      ['encoding', 'plain, base64, a hash…'],
      ['explanation', 'a sentence saying why'],
      ['evidence', 'rule, parameter name, masked value preview, cookie name, script'],
      ['time', 'when'],
    ],
  },
  {
    table: 'meta',
    what: 'Settings, and the authorized list of each site that has one.',
    fields: [
      ['key', 'setting name (retentionDays, paused, recordPrivate) or authorized:<site>'],
      ['value', 'setting value, or {parties, updatedAt} for an authorized list'],
    ],
  },
];

export const NEVER_STORED: string[] = [
  'Cookie values (only their length and how random they look).',
  'Request and response bodies, and header values.',
  'Raw personal data: an email or other personal value found in a request is kept masked (j***@e***.com), and the URL that carried it keeps only parameter names.',
  'Values typed into forms (used in memory during the visit to recognise them, then forgotten).',
  'Your canaries (kept in browser memory for this session only, never written to disk).',
  'Private-window browsing, unless you turn on recording private windows below.',
  'Anything sent anywhere: Leakwatch makes no network request of its own.',
];
