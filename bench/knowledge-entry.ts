// The tracker knowledge and party resolution, bundled for the startup measurement.
export { defaultKnowledge } from '../src/core/trackers.ts';
export { registrableDomain } from '../src/core/party.ts';
