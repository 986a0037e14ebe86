import { browser } from '../platform/browser.ts';
console.log(browser.runtime.id);
