// Homeward in a process of its own, so the load generator does not share its core.
// Options come as JSON in argv[2]; prints {"url","readyMs"} once ready.
import { type HomewardOptions, startHomeward } from '../../server/src/start.ts';

const started = performance.now();
const options = JSON.parse(process.argv[2] ?? '{}') as HomewardOptions;
const running = await startHomeward({
  port: 0,
  host: '127.0.0.1',
  logger: false,
  logLevel: 'silent',
  ...options,
});
process.stdout.write(`${JSON.stringify({ url: running.url, readyMs: performance.now() - started })}\n`);
process.on('SIGTERM', async () => {
  await running.close();
  process.exit(0);
});
