// A site's authorized list (issue 5): who the publisher invited. Import a file (a JSON array,
// {parties: [...]}, or plain text one domain per line, ads.txt style) with the CLI's parser,
// export it as JSON, remove entries. Every change is a message; the background re-marks the
// site's party rows, which the popup and this page read.
import { parseAuthorizedList } from '../../../report/authorized.ts';
import { readAuthorized } from '../../../storage/authorized.ts';
import { MAX_IMPORT_CHARS, tooLargeMessage } from '../../../storage/limits.ts';
import { downloadText } from '../../shared/download.ts';
import { plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import type { ViewProps } from '../types.ts';
import { useCommandStatus } from '../../shared/use-command-status.ts';

/** A list file's entries, as the CLI reads them (throws a one-line reason). */
export function entriesOf(text: string): string[] {
  const list = parseAuthorizedList(text);
  return [...list.domains, ...list.organizations];
}

/** Where a site publishes its authorized ad systems (IAB ads.txt). */
export const adsTxtUrl = (site: string) => `https://${site}/ads.txt`;

/**
 * Reads the site's ads.txt: the one request Leakwatch itself makes, and only when the user
 * asks. No cookies go with it; the size is capped like a file import.
 */
export async function fetchAdsTxt(site: string, fetcher: typeof fetch = fetch): Promise<string[]> {
  const res = await fetcher(adsTxtUrl(site), { credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw new Error(`${adsTxtUrl(site)} answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_IMPORT_CHARS) throw new Error(tooLargeMessage(text.length));
  return entriesOf(text);
}

export function AuthorizedParties({
  db,
  send,
  site,
}: Pick<ViewProps, 'db' | 'send'> & { site: string }) {
  const current = useLiveQuery(() => readAuthorized(db, site), [db, site]);
  const { status, run } = useCommandStatus();
  const list = current.status === 'ready' ? current.value : null;

  async function pick(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    await run(`Importing ${file.name}`, async () => {
      if (file.size > MAX_IMPORT_CHARS) throw new Error(tooLargeMessage(file.size));
      const parties = entriesOf(await file.text());
      await send('setAuthorized', { site, parties });
    });
    input.value = '';
  }

  async function prefill() {
    await run(`Reading ${adsTxtUrl(site)}`, async () => {
      const found = await fetchAdsTxt(site);
      // Added to what is already authorized, never replacing it.
      const parties = [...new Set([...(list?.parties ?? []), ...found])];
      await send('setAuthorized', { site, parties });
    });
  }

  function exportList() {
    if (!list) return;
    const text = `${JSON.stringify({ site, parties: list.parties }, null, 2)}\n`;
    downloadText(text, `leakwatch-authorized-${site}.json`, 'application/json');
  }

  return (
    <section class="authorized" aria-labelledby="authorized-title" data-testid="authorized">
      <h2 id="authorized-title">Authorized parties</h2>
      <p>
        The parties you invited on this site, by domain or organization. With a list in place, every
        other third party is marked “not authorized”, here, in the popup and on the badge. Import a
        JSON array, <code>{'{"parties": [...]}'}</code> or a text file with one domain per line
        (ads.txt lines work). Reading the site's own ads.txt is the one request Leakwatch makes
        itself, and only when you press that button.
      </p>
      {list === null ? (
        <p data-testid="authorized-none">No authorized list for this site.</p>
      ) : (
        <>
          <p>{plural(list.parties.length, 'authorized party', 'authorized parties')}:</p>
          <ul class="authorized-list" data-testid="authorized-list">
            {list.parties.map((p) => (
              <li key={p} data-party={p}>
                <Text value={p} />{' '}
                <button
                  type="button"
                  aria-label={`Remove ${p} from the authorized list`}
                  onClick={() =>
                    void run(`Removing ${p}`, () => send('unauthorizeParty', { site, party: p }))
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <label class="file">
        <span>Import a list</span>
        <input
          type="file"
          accept=".json,.txt,text/plain,application/json"
          data-testid="authorized-file"
          onChange={(e) => void pick(e.currentTarget as HTMLInputElement)}
        />
      </label>{' '}
      <button type="button" data-testid="authorized-adstxt" onClick={() => void prefill()}>
        Add the ad systems from this site's ads.txt
      </button>{' '}
      <button
        type="button"
        data-testid="authorized-export"
        disabled={list === null}
        onClick={exportList}
      >
        Export list (JSON)
      </button>{' '}
      <button
        type="button"
        data-testid="authorized-clear"
        disabled={list === null}
        onClick={() =>
          void run('Removing the list', () => send('setAuthorized', { site, parties: null }))
        }
      >
        Remove the list
      </button>
      <p class="status" role="status" data-testid="authorized-status">
        {status}
      </p>
    </section>
  );
}
