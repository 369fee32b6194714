/** A demo agent for native tests: node under a unique process name (the sensor's --agent matches comm). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory holding a symlink to node named `<prefix><random>`: run it to get a process of that name. */
export function agentBinary(prefix: string): { agent: string; dir: string; bin: string } {
  const agent = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const bin = path.join(dir, agent);
  fs.symlinkSync(process.execPath, bin);
  return { agent, dir, bin };
}
