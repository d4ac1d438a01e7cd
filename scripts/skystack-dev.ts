// Runs the skystack CLI from the TypeScript sources (no build): used by tests and developers.
//   node --conditions=source --import tsx scripts/skystack-dev.ts fits info FILE
import { runCli } from "@skystack/pipe";

process.exitCode = await runCli(process.argv.slice(2));
