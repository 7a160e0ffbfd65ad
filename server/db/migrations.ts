/**
 * Migrations, applied in order at start (migrations/, one file each). Each
 * runs once; the applied ones are recorded in `kysely_migration` under the
 * names below, which therefore never change. STRICT tables make SQLite
 * refuse a value of the wrong type instead of storing it.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { migration as core } from './migrations/0001-core';
import { migration as evm } from './migrations/0002-evm';
import { migration as webhooks } from './migrations/0003-webhooks';
import { migration as contract } from './migrations/0004-contract';
import { migration as stateChecks } from './migrations/0005-state-checks';
import { migration as fiat } from './migrations/0006-fiat';
import { migration as widgets } from './migrations/0007-widgets';
import { migration as locale } from './migrations/0008-locale';
import { migration as appearance } from './migrations/0009-appearance';
import { migration as instances } from './migrations/0010-instances';
import { migration as timeOrderedClaims } from './migrations/0011-time-ordered-claims';
import { migration as requoteIndex } from './migrations/0012-requote-index';
import { migration as noChainStateIndex } from './migrations/0013-no-chain-state-index';

const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_evm': evm,
  '0003_webhooks': webhooks,
  '0004_contract': contract,
  '0005_state_checks': stateChecks,
  '0006_fiat': fiat,
  '0007_widgets': widgets,
  '0008_locale': locale,
  '0009_appearance': appearance,
  '0010_instances': instances,
  '0011_time_ordered_claims': timeOrderedClaims,
  '0012_requote_index': requoteIndex,
  '0013_no_chain_state_index': noChainStateIndex,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
