// On CI the test Neo4j is stopped after the run; on a developer machine it stays up for the next run.
import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  if (!process.env.CI) return;
  const mod = await tsImport('./global-setup-impl.ts', import.meta.url);
  await mod.teardown();
}
