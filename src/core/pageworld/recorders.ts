// Known session-replay services, by the hosts and paths of their recorder scripts and
// collection endpoints. Sources: Blacklight's session-recorder list (notes/detection-methods.md
// §5.2, host/path substrings only) and each vendor's public installation docs (the snippet's
// script URL, the documented CSP connect-src/ingest hosts).
export interface RecorderService {
  name: string;
  /** Host suffixes (a host equal to or ending in `.${suffix}`). */
  hosts: readonly string[];
  /** When set, only these path prefixes on those hosts count (shared analytics hosts). */
  paths?: readonly string[];
}

export const RECORDERS: readonly RecorderService[] = [
  { name: 'Hotjar', hosts: ['hotjar.com', 'hotjar.io'] },
  { name: 'FullStory', hosts: ['fullstory.com'] },
  { name: 'Microsoft Clarity', hosts: ['clarity.ms'] },
  { name: 'Mouseflow', hosts: ['mouseflow.com'] },
  {
    name: 'LogRocket',
    hosts: [
      'logrocket.io',
      'logrocket.com',
      'lr-ingest.io',
      'lr-in.com',
      'lr-in-prod.com',
      'lr-ingest.com',
    ],
  },
  { name: 'Smartlook', hosts: ['smartlook.com', 'smartlook.cloud'] },
  // Yandex Metrica only records sessions with Webvisor on; its tag.js also does plain analytics.
  {
    name: 'Yandex Metrica Webvisor',
    hosts: ['mc.yandex.ru', 'mc.yandex.com', 'mc.webvisor.org', 'mc.webvisor.com'],
    paths: ['/webvisor/', '/metrika/watch.js'],
  },
  { name: 'Quantum Metric', hosts: ['quantummetric.com'] },
  { name: 'Contentsquare', hosts: ['contentsquare.net', 'contentsquare.com'] },
  { name: 'ClickTale', hosts: ['clicktale.net'] },
  { name: 'Inspectlet', hosts: ['inspectlet.com'] },
  { name: 'Lucky Orange', hosts: ['luckyorange.com', 'luckyorange.net'] },
  { name: 'SessionCam', hosts: ['sessioncam.com'] },
  { name: 'Decibel', hosts: ['decibelinsight.net'] },
  { name: 'Glassbox', hosts: ['glassboxdigital.io', 'glassboxcdn.com'] },
  { name: 'UserReplay', hosts: ['userreplay.net'] },
  { name: 'Crazy Egg', hosts: ['crazyegg.com'], paths: ['/pages/', '/recording'] },
  { name: 'VWO Insights', hosts: ['visualwebsiteoptimizer.com'], paths: ['/rec', '/heatmap'] },
  {
    name: 'Datadog Session Replay',
    hosts: ['datadoghq.com', 'datadoghq.eu'],
    paths: ['/api/v2/replay'],
  },
  { name: 'Amplitude Session Replay', hosts: ['api-sr.amplitude.com', 'api-sr.eu.amplitude.com'] },
  {
    name: 'PostHog Session Replay',
    hosts: ['posthog.com', 'i.posthog.com'],
    paths: ['/s/', '/e/?'],
  },
];

/** The replay service behind a URL, or null. */
export function recorderOf(url: string): RecorderService | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const host = u.hostname.toLowerCase();
  const path = u.pathname + (u.search ? '?' : '');
  for (const r of RECORDERS) {
    if (!r.hosts.some((h) => host === h || host.endsWith(`.${h}`))) continue;
    if (!r.paths || r.paths.some((p) => path.startsWith(p))) return r;
  }
  return null;
}
