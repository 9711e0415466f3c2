import * as fs from 'fs';
import { context, CONTEXT_ENV } from './helpers';

/** Prints how each install went and removes the scratch directory (kept with BULWARK_GOLDEN_KEEP=1). */
export default async function globalTeardown(): Promise<void> {
  if (!process.env[CONTEXT_ENV]) return;
  const { work } = context();
  const log = `${work}/timings.log`;
  if (fs.existsSync(log)) process.stdout.write(`\ngolden path, timings:\n${fs.readFileSync(log, 'utf8')}`);
  if (process.env.BULWARK_GOLDEN_KEEP === '1') process.stdout.write(`kept ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}
