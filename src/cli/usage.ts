// The --help text. Kept next to args.ts so an option added there is added here.
export const USAGE = `Usage: leakwatch [options] <url ...>
       npm run audit -- [options] <url ...>
       leakwatch --har FILE [options]

Audits web pages with the Leakwatch extension loaded in Chromium (or a HAR file offline)
and writes a report: which parties take data from the pages, what, and who brought them in.

Input
  <url ...>                 http(s) pages to audit
  --urls FILE               more URLs, one per line (# comments allowed)
  --sitemap URL             audit the URLs listed in a sitemap.xml
  --pages N                 per start URL, audit up to N pages following same-site links
                            breadth-first (default 1)
  --har FILE                analyse a HAR 1.2 file offline, no browser

Browser
  --chromium PATH           Chromium binary (default: $LEAKWATCH_CHROMIUM or /usr/bin/chromium)
  --resolve PATTERN=IP[:PORT]
                            map host names, as Chromium host resolver rules (repeatable),
                            e.g. --resolve '*.test=127.0.0.1'
  --insecure                accept self-signed TLS certificates
  --wait MS                 settle time after each page's load event (default 2000)
  --interact                scroll and type canary values into form fields, as a user would
  --canary VALUE            a canary value to type into forms (repeatable)
  --concurrency N           pages audited at the same time (default 1, at most 16)

Report
  --out DIR                 output directory (default ./leakwatch-report)
  --format LIST             comma-separated: json,csv,html,har (default json,html)
  --authorized FILE         the publisher's authorized parties: a JSON array, {"parties": [...]},
                            or one domain per line; other third parties become
                            unauthorized-party findings
  --baseline FILE           a previous report.json: report new parties, parties gone and new
                            kinds of data taken
  --fail-on KIND,...        exit 3 when any finding of these kinds is present
                            (e.g. unauthorized-party,pii-leak)

  -h, --help                this text
  -V, --version             the version

Exit codes: 0 done, 2 bad usage, unreadable input or an --out that cannot be made,
3 a --fail-on kind was found.
`;
