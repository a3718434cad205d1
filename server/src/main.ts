import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startServer } from './app';

/** Entry point of `npm start`: read config once, refuse unsafe binds, start, stop cleanly. */
async function main(): Promise<void> {
  // Everything this process creates in DATA_DIR (database, cache, audit) is its owner's only (issue 11.13).
  process.umask(0o077);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`cxr-copilot: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  process.stdout.write(`CXR Copilot listening on ${running.url}  (research use only; not for diagnosis)\n`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`cxr-copilot: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
