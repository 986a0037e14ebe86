// Report page entry: the only report module that touches the browser API (through the
// platform adapter, via `send`). Everything below <App> gets the database, `send` and the
// route as props, so it renders in tests.
import './report.css';
import { render } from 'preact';
import { send } from '../../messaging/client.ts';
import { openDb } from '../../storage/db.ts';
import { App } from './App.tsx';
import { formatRoute, parseRoute, type Route } from './route.ts';

const root = document.getElementById('app')!;
const db = openDb();

function go(route: Route, replace = false): void {
  const hash = formatRoute(route);
  if (replace) {
    history.replaceState(null, '', hash);
    show();
  } else {
    location.hash = hash;
  }
}

function show(): void {
  render(<App db={db} send={send} route={parseRoute(location.hash)} go={go} />, root);
}

window.addEventListener('hashchange', show);
show();
