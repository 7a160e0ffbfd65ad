/**
 * Four production builds and the tests (three Vitest projects: `vitest run --project unit|integration|integration-pg`):
 *   vite build                → dist/checkout/ (the checkout app for /pay and /embed, hashed, with a manifest)
 *   vite build --mode picker  → dist/picker/ (a payment widget's picker for /w and /embed/w, the same way)
 *   vite build --mode loader  → dist/widget.js (the loader: one classic script, no framework)
 *   vite build --mode relay   → dist/relay.js (the wallet relay: widget.js imports it into a merchant page that has a wallet)
 * The server reads dist/ (server/pages/assets.ts).
 */
import preact from '@preact/preset-vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const ALL_TESTS = ['server/**/*.test.ts', 'widget/**/*.test.{ts,tsx}', 'demo/**/*.test.ts', 'client/**/*.test.ts', 'contract/**/*.test.ts', 'docs/**/*.test.ts'];

/** The `unit` project, by reading each file; every other test file is `integration`. */
const UNIT = [
  'widget/**/*.test.{ts,tsx}',
  'demo/decimal.test.ts',
  'demo/sandbox-wallet.test.ts',
  'docs/readme-env.test.ts',
  'server/chains/chains-file.test.ts',
  'server/chains/evm/scan.test.ts',
  'server/chains/eip55.test.ts',
  'server/chains/hd.test.ts',
  'server/chains/wallet-chain.test.ts',
  'server/checkout/*.test.ts',
  'server/config.test.ts',
  'server/cluster/invoice-changes.test.ts',
  'server/db/dialect.test.ts',
  'server/db/time-ordered.test.ts',
  'server/http/rate-limit.test.ts',
  'contract/**/*.test.ts',
  'server/invoices/state-machine.test.ts',
  'server/invoices/senders.test.ts',
  'server/money/*.test.ts',
  'server/pages/csp.test.ts',
  'server/webhooks/{events,payload,schedule,targets}.test.ts',
  'server/widgets/widget-state.test.ts',
];

/**
 * The integration files run a second time on PostgreSQL (`integration-pg`): those whose tests build Payframe
 * through the harness or openTestDb (testing/template-db.ts picks the database). The rest are about SQLite
 * itself (its dialect, lock, statement cache, migrations of old files, the statements it runs: checkout-fanout),
 * reopen a SQLite file by name (restarts), or run the CLI as a process on DATA_DIR.
 */
const ON_POSTGRES = [
  'client/{client,webhooks}.test.ts',
  'demo/webhooks.test.ts',
  'server/api/{checkout-node-stream,checkout-routes,hostile-requests,limits,merchant-routes,openapi,profile-routes,replay,sandbox-routes,webhook-routes}.test.ts',
  'server/chains/evm/evm-chain.test.ts',
  'server/chains/utxo/utxo-chain.test.ts',
  'server/http/{compression,errors}.test.ts',
  'server/invoices/{engine,fiat-invoice}.test.ts',
  'server/merchants/xpubs.test.ts',
  'server/pages/{appearance,page-locale,page-routes,widget-pages}.test.ts',
  'server/db/compile-once.test.ts',
  'server/rates/rates.test.ts',
  'server/secrets/at-rest.test.ts',
  'server/runtime.test.ts',
  'server/webhooks/{calypso-receiver,outbox,worker}.test.ts',
  'server/widgets/widgets.test.ts',
];

/** Tests of several instances on one PostgreSQL: they mean nothing on SQLite. */
const POSTGRES_ONLY = ['server/cluster/{instances,leadership}.test.ts'];

export default defineConfig(({ mode }) => ({
  plugins: mode === 'test' ? [] : [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build:
    mode === 'loader'
      ? {
          outDir: 'dist',
          emptyOutDir: false,
          lib: { entry: 'widget/loader/widget.ts', formats: ['iife'], name: 'PayframeLoader', fileName: () => 'widget.js' },
        }
      : mode === 'relay'
      ? {
          outDir: 'dist',
          emptyOutDir: false,
          // Library mode keeps ES output readable; these are served to browsers as they are.
          rolldownOptions: { output: { minify: true, comments: false } },
          lib: { entry: 'widget/checkout/wallet/relay-page.ts', formats: ['es'], fileName: () => 'relay.js' },
        }
      : {
          // Two builds rather than two entries of one: each page loads one script, with nothing it does not run.
          outDir: mode === 'picker' ? 'dist/picker' : 'dist/checkout',
          emptyOutDir: true,
          manifest: true,
          // The pages load one module script; no preload polyfill for the chunks we do not have.
          modulePreload: false,
          rollupOptions: { input: mode === 'picker' ? 'widget/checkout/picker-main.tsx' : 'widget/checkout/main.tsx' },
        },
  test: {
    environment: 'node',
    // One module graph per worker instead of one per test file: re-importing viem, zod, Kysely and Hono for each
    // file cost more than the tests. Safe while no test mocks modules or stubs globals and no module keeps state.
    isolate: false,
    // At least two even on two cores: the integration tests spend much of their time waiting on child processes and timers.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          // Pure logic: no database file, no server or socket, no child process. Fast, and fine on any machine.
          name: 'unit',
          include: UNIT,
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          // Everything that opens SQLite, anvil, an HTTP server or a child process. A test file not listed in UNIT lands here.
          name: 'integration',
          include: ALL_TESTS,
          exclude: [...UNIT, ...POSTGRES_ONLY],
          // Upper bounds for a loaded machine, well above the waits inside the tests (testing/wait-for.ts); never a speed check.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll waits for something asynchronous (a webhook delivered, an order paid): its 1 s default is a race.
          expect: { poll: { timeout: 30_000 } },
        },
      },
      {
        extends: true,
        test: {
          // The same tests on PostgreSQL (TEST_POSTGRES_URL), each on a fresh database copied from one migrated template.
          name: 'integration-pg',
          include: [...ON_POSTGRES, ...POSTGRES_ONLY],
          exclude: UNIT,
          env: { PAYFRAME_TEST_DB: 'postgres' },
          globalSetup: ['server/testing/postgres-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
}));
