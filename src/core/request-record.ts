// The fields of a RequestRecord nobody has seen yet: no body, headers or response. The
// request assembler starts every record from these and fills them in stage by stage; a
// request recovered from Resource Timing keeps them (./resource-ledger.ts).
import type { RequestRecord } from './model.ts';

export type Unanswered = Pick<
  RequestRecord,
  'body' | 'requestHeaders' | 'status' | 'responseHeaders' | 'redirectUrl' | 'error' | 'fromCache'
>;

/** Fresh arrays every call: the assembler fills them per record. */
export function unanswered(): Unanswered {
  return {
    body: null,
    requestHeaders: [],
    status: null,
    responseHeaders: [],
    redirectUrl: null,
    error: null,
    fromCache: false,
  };
}
