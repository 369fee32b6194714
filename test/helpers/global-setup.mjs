// Jest loads global setup outside its transform; tsx runs the TypeScript setup as it is.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const mod = await tsImport('./global-setup-impl.ts', import.meta.url);
  await mod.default();
}
