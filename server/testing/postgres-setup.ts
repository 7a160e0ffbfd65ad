/**
 * Vitest's global setup for the `integration-pg` project: one migrated
 * template database for the run, given to the test workers (inject), and
 * dropped with every test database copied from it when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { createTemplate, dropDatabases } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template database each test's database is copied from. */
    postgresTemplate: string;
    /** What every database of this run is named after. */
    postgresPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  // Per run: two runs at once (two worktrees, say) neither share nor drop each other's databases.
  const prefix = `payframe_t${process.pid}`;
  await dropDatabases(prefix);
  project.provide('postgresTemplate', await createTemplate(prefix));
  project.provide('postgresPrefix', prefix);
  return () => dropDatabases(prefix);
}
