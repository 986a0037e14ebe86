// Pause recording, record private windows (opt-in), retention period. Each change is sent
// to the background, which stores it and applies it at once; the form shows what the
// database says (liveQuery), so it never drifts from what is in force.
import { useEffect, useState } from 'preact/hooks';
import type { Send } from '../../../messaging/client.ts';
import {
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  type Settings,
} from '../../../storage/settings.ts';

export function RecordingSettings({ send, settings }: { send: Send; settings: Settings }) {
  const [days, setDays] = useState(String(settings.retentionDays));
  // The boxes show the user's click at once; each follows the database again only when that
  // setting itself changes there (a re-render for another setting must not undo a click).
  const [paused, setPaused] = useState(settings.paused);
  const [recordPrivate, setRecordPrivate] = useState(settings.recordPrivate);
  const [status, setStatus] = useState('');
  useEffect(() => setDays(String(settings.retentionDays)), [settings.retentionDays]);
  useEffect(() => setPaused(settings.paused), [settings.paused]);
  useEffect(() => setRecordPrivate(settings.recordPrivate), [settings.recordPrivate]);
  async function update(patch: Partial<Settings>, done: string) {
    try {
      await send('updateSettings', patch);
      setStatus(done);
    } catch (error) {
      setStatus(`Could not save: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const n = Number(days);
  const validDays = Number.isInteger(n) && n >= MIN_RETENTION_DAYS && n <= MAX_RETENTION_DAYS;
  return (
    <div class="settings" data-testid="settings">
      <label class="check">
        <input
          type="checkbox"
          checked={paused}
          data-testid="pause"
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            setPaused(on);
            void update({ paused: on }, on ? 'Recording is paused.' : 'Recording again.');
          }}
        />
        Pause recording (nothing new is recorded until you turn this off)
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={recordPrivate}
          data-testid="record-private"
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            setRecordPrivate(on);
            void update(
              { recordPrivate: on },
              on ? 'Private windows are recorded too.' : 'Private windows are not recorded.',
            );
          }}
        />
        Also record private (incognito) windows
      </label>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (validDays)
            void update({ retentionDays: n }, `Keeping ${n} days; older visits are deleted.`);
        }}
      >
        <label>
          Keep recorded browsing for{' '}
          <input
            type="number"
            min={MIN_RETENTION_DAYS}
            max={MAX_RETENTION_DAYS}
            value={days}
            data-testid="retention-days"
            aria-invalid={!validDays}
            onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)}
          />{' '}
          days
        </label>{' '}
        <button type="submit" disabled={!validDays}>
          Save
        </button>
      </form>
      <p class="status" role="status" data-testid="settings-status">
        {status}
      </p>
    </div>
  );
}
