#!/usr/bin/env node
/**
 * The package's `bin`: always runs the CLI. npx, `npm exec` and global installs start it through a
 * symlink, so an "am I the entry point?" check on the path is not something this file may depend on.
 */
import { main } from './main.js';

await main();
