#!/usr/bin/env node
// The skystack command line. Runs the compiled CLI (built by `npm ci` through the root prepare script).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
