#!/usr/bin/env node
// The `reelay` executable: runs the TypeScript sources through tsx, so a clean
// `npm ci` is all a user needs (no build step, no build output in git).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
