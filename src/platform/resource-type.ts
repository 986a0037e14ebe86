// Browser resource types → ours. Chrome reports sendBeacon as `ping`, Firefox as `beacon`;
// both are kept as given (the pixel detector treats them alike). Firefox-only types fold
// into their nearest Chrome type so detectors see one vocabulary.
import type { ResourceType } from '../core/model.ts';

const SAME = new Set<string>([
  'main_frame',
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'beacon',
  'csp_report',
  'media',
  'websocket',
  'other',
]);

const FOLDED: Record<string, ResourceType> = {
  imageset: 'image',
  object_subrequest: 'object',
  xslt: 'stylesheet',
  json: 'xmlhttprequest',
};

export function normalizeType(type: string | null): ResourceType {
  if (type === null) return 'other';
  if (SAME.has(type)) return type as ResourceType;
  return FOLDED[type] ?? 'other';
}
