// Types for the test of scripts/package.mjs (a plain Node script, run without a build step).

/** A ZIP archive of every file under `dir`, paths relative to it with forward slashes. */
export function zipDirectory(dir: string): Buffer;
