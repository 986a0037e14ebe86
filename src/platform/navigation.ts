// webNavigation.onCommitted → NavigationEvent. A top-frame commit (frameId 0) starts a
// new page visit; a subframe commit maps its documentId to the visit it lives in.
import { asRecord, bool, idOf, num, str } from './raw.ts';
import { isIgnoredPageUrl } from './urls.ts';
import { MAX_URL_CHARS } from '../core/model.ts';

export interface NavigationEvent {
  tabId: number;
  frameId: number;
  url: string;
  time: number;
  /** Chrome only. */
  documentId: string | null;
  parentDocumentId: string | null;
  /** Not a web page (about:, chrome://, extension pages): no visit is recorded. */
  ignored: boolean;
  incognito: boolean | null;
}

export function convertCommitted(details: unknown, fallbackTime: number): NavigationEvent | null {
  const d = asRecord(details);
  if (!d) return null;
  const tabId = num(d, 'tabId');
  const frameId = num(d, 'frameId');
  const url = str(d, 'url');
  if (tabId === null || tabId < 0 || frameId === null || url === null) return null;
  return {
    tabId,
    frameId,
    url: url.slice(0, MAX_URL_CHARS),
    time: num(d, 'timeStamp') ?? fallbackTime,
    documentId: idOf(d, 'documentId'),
    parentDocumentId: idOf(d, 'parentDocumentId'),
    ignored: isIgnoredPageUrl(url),
    incognito: bool(d, 'incognito'),
  };
}

/** webNavigation.onCompleted / onErrorOccurred → the tab whose top document is done, or null. */
export function convertLoaded(details: unknown): number | null {
  const d = asRecord(details);
  if (!d || num(d, 'frameId') !== 0) return null;
  const tabId = num(d, 'tabId');
  return tabId !== null && tabId >= 0 ? tabId : null;
}

export function convertTabRemoved(tabId: unknown): number | null {
  return typeof tabId === 'number' && Number.isInteger(tabId) && tabId >= 0 ? tabId : null;
}
