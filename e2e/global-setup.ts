/** Builds the production bundle the servers under test serve, and clears old screenshots. */
import { rmSync } from 'node:fs';
import { buildCheckout } from '../scripts/lib/build';
import { SCREENSHOT_DIR } from './fixtures';

export default async function globalSetup(): Promise<void> {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  await buildCheckout();
}
