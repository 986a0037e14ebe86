// The detector registry. Adding a detector is one import and one line in the list below;
// the analyzer runs every entry, each in its own try/catch.
import type { CookieDetector, RequestDetector } from './types.ts';
import { trackerRequest } from './tracker-request.ts';
import { pixel } from './pixel.ts';
import { thirdPartyCookie } from './third-party-cookie.ts';
import { identifierCookie } from './identifier-cookie.ts';
import { cookieSharing } from './cookie-sharing.ts';
import { idSync } from './id-sync.ts';
import { pageUrlLeak } from './page-url-leak.ts';
import { piiLeak } from './pii-leak.ts';
import { ecommerceLeak } from './ecommerce-leak.ts';
import { cnameCloaking } from './cname-cloaking.ts';
import { sessionRecordingRequests } from './session-recording.ts';

/** Run on every request, in this order. */
export const REQUEST_DETECTORS: readonly RequestDetector[] = [
  // one detector per line
  trackerRequest,
  pixel,
  cookieSharing,
  idSync,
  pageUrlLeak,
  piiLeak,
  ecommerceLeak,
  cnameCloaking,
  sessionRecordingRequests,
];

/** Run on every cookie write (Set-Cookie headers and cookies API events). */
export const COOKIE_DETECTORS: readonly CookieDetector[] = [
  // one detector per line
  thirdPartyCookie,
  identifierCookie,
  cookieSharing,
  idSync,
];

export type { CookieDetector, RequestDetector } from './types.ts';
