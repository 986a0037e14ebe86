// What the core bench imports, bundled the way the extension ships it (see bundle.ts).
export { createAnalyzer } from '../src/core/analyzer.ts';
export { REQUEST_DETECTORS, COOKIE_DETECTORS } from '../src/core/detectors/index.ts';
export { resolveParty } from '../src/core/party.ts';
export { defaultKnowledge } from '../src/core/trackers.ts';
export { parseUrl } from '../src/core/url.ts';
export { registerSecret } from '../src/core/leaks/secrets.ts';
export { extractRequest, requestTokens } from '../src/core/leaks/extract.ts';
export { requestGlance } from '../src/core/leaks/glance.ts';
