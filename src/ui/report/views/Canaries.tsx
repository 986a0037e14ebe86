// Canaries: the user's own email or phone number, which Leakwatch then looks for in every
// request. The background keeps them in storage.session (memory only, this browser session)
// and answers with masked previews: this page never gets a raw value back.
import { useEffect, useState } from 'preact/hooks';
import type { Send } from '../../../messaging/client.ts';
import { MAX_CANARIES, MAX_CANARY_CHARS, type CanaryList } from '../../../messaging/protocol.ts';

const KIND_WORDS = { email: 'Email', phone: 'Phone', name: 'Other' } as const;

export function Canaries({ send }: { send: Send }) {
  const [list, setList] = useState<CanaryList['canaries'] | null>(null);
  const [value, setValue] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    send('getCanaries').then(
      (r) => setList(r.canaries),
      (e: unknown) => setStatus(`Could not read your canaries: ${message(e)}`),
    );
  }, [send]);

  async function run(change: () => Promise<CanaryList>, done: (l: CanaryList) => string) {
    setBusy(true);
    try {
      const next = await change();
      setList(next.canaries);
      setStatus(done(next));
    } catch (error) {
      setStatus(`Could not save: ${message(error)}`);
    } finally {
      setBusy(false);
    }
  }

  function add() {
    const v = value.trim();
    if (!v) return;
    void run(
      async () => {
        const { registered } = await send('registerCanaries', { values: [v] });
        if (registered === 0)
          throw new Error('too short to look for safely (6 characters or more)');
        setValue('');
        return send('getCanaries');
      },
      () => 'Added. Leakwatch now looks for it in every request.',
    );
  }

  const full = (list?.length ?? 0) >= MAX_CANARIES;
  return (
    <div class="canaries" data-testid="canaries">
      <p>
        A canary is a value of your own, such as your email address or phone number, that Leakwatch
        watches for. Once you add one, Leakwatch looks for it in every request a page makes: as
        plain text, URL-encoded, base64, and hashed (MD5, SHA-1, SHA-256, SHA-512), which is how ad
        pixels often send an email. A match shows up as a personal-data leak naming the party that
        received it.
      </p>
      <p>
        Your canaries are kept only for this browser session, in memory: they are never written to
        disk and are gone when you close the browser. Findings show them masked (j***@e***.com).
      </p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          Email or phone number{' '}
          <input
            type="text"
            autoComplete="off"
            spellcheck={false}
            maxLength={MAX_CANARY_CHARS}
            value={value}
            data-testid="canary-input"
            onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
          />
        </label>{' '}
        <button type="submit" data-testid="canary-add" disabled={busy || full || !value.trim()}>
          Add canary
        </button>
      </form>
      {list === null ? null : list.length === 0 ? (
        <p data-testid="canary-empty">No canaries yet.</p>
      ) : (
        <>
          <ul class="canary-list" data-testid="canary-list">
            {list.map((c, i) => (
              <li key={`${i}-${c.preview}`} data-kind={c.kind}>
                {KIND_WORDS[c.kind]}: <code data-testid="canary-preview">{c.preview}</code>{' '}
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`Remove canary ${c.preview}`}
                  data-testid="canary-remove"
                  onClick={() =>
                    void run(
                      () => send('removeCanary', { index: i }),
                      () => `Removed ${c.preview}; Leakwatch no longer looks for it.`,
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="danger"
            disabled={busy}
            data-testid="canary-clear"
            onClick={() =>
              void run(
                () => send('setCanaries', { values: [] }),
                () => 'All canaries were removed.',
              )
            }
          >
            Remove all canaries
          </button>
        </>
      )}
      {full ? <p>Leakwatch keeps at most {MAX_CANARIES} canaries.</p> : null}
      <p class="status" role="status" data-testid="canary-status">
        {status}
      </p>
    </div>
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
