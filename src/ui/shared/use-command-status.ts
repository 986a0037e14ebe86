// "Doing X…" / "X: done." / "X failed: why" for the report page's command buttons, whose
// work happens in the background (the single writer) and may fail there.
import { useState } from 'preact/hooks';

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useCommandStatus(): {
  status: string;
  run: (what: string, action: () => Promise<unknown>) => Promise<void>;
} {
  const [status, setStatus] = useState('');
  async function run(what: string, action: () => Promise<unknown>) {
    setStatus(`${what}…`);
    try {
      await action();
      setStatus(`${what}: done.`);
    } catch (error) {
      setStatus(`${what} failed: ${errorText(error)}`);
    }
  }
  return { status, run };
}
