/**
 * Entry point of a decode worker thread (decodePool.ts). Worker threads load plain JavaScript, so
 * this CommonJS file registers tsx's require hook (unless the parent's `--import tsx` already did)
 * and then loads the TypeScript worker body.
 */
'use strict';
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
require('./decodeWorker.ts');
