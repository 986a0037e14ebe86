// The only module that imports webextension-polyfill. Chrome 148+ and Firefox both expose a
// promise-based `browser`, and the polyfill is frozen upstream, so dropping it later is a
// one-file change here.
import browser from 'webextension-polyfill';

export { browser };
export type {
  Browser,
  WebRequest,
  Cookies,
  WebNavigation,
  Tabs,
  Runtime,
} from 'webextension-polyfill';
