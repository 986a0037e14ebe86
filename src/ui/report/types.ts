// What every report view receives: the database to read (liveQuery), the typed message
// sender for commands (the background is the single writer), and the hash route.
import type { Send } from '../../messaging/client.ts';
import type { LeakwatchDb } from '../../storage/db.ts';
import type { Route } from './route.ts';

export interface ViewProps {
  db: LeakwatchDb;
  send: Send;
  route: Route;
  /** Changes the route; `replace` for typing in a search box (no history entry per key). */
  go: (route: Route, replace?: boolean) => void;
}
