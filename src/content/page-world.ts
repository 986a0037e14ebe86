// The page-world script: runs in every frame's MAIN world at document_start, before any page
// script, as a classic script (bundled to one IIFE; no imports at run time, no globals).
// It observes which script calls which API and hands raw facts to the isolated-world relay
// (./relay.ts) over a private channel (./channel.ts). Design constraints, all from issue 4:
// - stealth: nothing is added to any page-visible object; hooked functions are Proxies that
//   look and behave like the originals (./page-world/wrap.ts);
// - safety: observers never throw into the page and never change arguments or results;
// - robustness: every intrinsic is saved before the page runs (./page-world/intrinsics.ts);
// - cost: stacks are sampled per API, heavy work is left to the relay, records are batched.
import { connect } from './page-world/emit.ts';
import {
  hookAudio,
  hookCanvas,
  hookFontProbing,
  hookOffscreenCanvas,
  hookWebgl,
} from './page-world/hooks-canvas.ts';
import { hookFieldReads, hookListeners } from './page-world/hooks-behaviour.ts';
import { hookCookies, hookNavigator, hookStorage } from './page-world/hooks-identity.ts';
import { hookElementLoads, hookNetwork } from './page-world/hooks-loads.ts';
import { maskToString } from './page-world/wrap.ts';
import { watchStorageAssignments } from './page-world/storage-scan.ts';

function install(): void {
  connect();
  maskToString();
  hookCookies();
  hookStorage();
  watchStorageAssignments();
  hookCanvas();
  hookOffscreenCanvas();
  hookFontProbing();
  hookWebgl();
  hookAudio();
  hookNavigator();
  hookListeners();
  hookFieldReads();
  hookElementLoads();
  hookNetwork();
}

try {
  install();
} catch {
  // Whatever failed stays unhooked; the page must never notice.
}
