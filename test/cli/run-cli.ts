// Runs the CLI as a child process (as a user or CI would) and captures what it prints.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NYTIMES_HAR = resolve(ROOT, '../shared/bench-data/hars/www.nytimes.com.har');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The script to run, from the project root (the CLI's main by default). */
  script?: string;
  env?: Record<string, string>;
  /** Close our end of the child's stdout at once, as `leakwatch ... | head -0` would. */
  closeStdout?: boolean;
  /** Kill the child after this long (it then resolves with code null): for cases that could hang. */
  killAfterMs?: number;
}

export function runCli(
  args: readonly string[],
  cwd = ROOT,
  opts: RunOptions = {},
): Promise<CliResult> {
  return new Promise((ok, fail) => {
    const child = spawn(TSX, [resolve(ROOT, opts.script ?? 'src/cli/main.ts'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: tsx runs the CLI in a child of its own, and a kill must reach it.
      detached: opts.killAfterMs !== undefined,
    });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      opts.killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          }, opts.killAfterMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

/** stderr lines, without npm's own configuration warnings (not ours to judge). */
export const stderrLines = (r: CliResult): string[] =>
  r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));
