// `leakwatch ... | head -1` closes our stdout before we are done writing. Node then emits
// an unhandled EPIPE 'error' and dies with a stack trace, after the report is written.
// A reader that stopped listening is not a failure of the audit: the output just ends.

/** Makes a broken pipe on stdout or stderr end that stream's output quietly. */
export function quietOnBrokenPipe(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Anything else (a full disk behind a redirect, say) stays as loud as Node makes it.
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
