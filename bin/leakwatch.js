#!/usr/bin/env node
// The `leakwatch` command. It runs the TypeScript sources through tsx's loader, so a clean
// clone works right after `npm ci`, with no build step for the CLI.
import { register } from 'tsx/esm/api';

register();
const { runAsProcess } = await import('../src/cli/main.ts');
runAsProcess();
