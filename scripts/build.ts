/** npm run build: every production build Payframe serves (scripts/lib/build.ts, which npm start and the browser tests run too). */
import { buildCheckout } from './lib/build';

await buildCheckout();
console.log('built dist/checkout, dist/picker, dist/widget.js and dist/relay.js');
