/** @skystack/pipe — configs, tasks, butler, pipelines, executors and the skystack CLI. */

export * from "./butler/index.js";
export { type DemoStatistics, demoStatistics } from "./cli/demo.js";
export { type HduSummary, summarizeHdu } from "./cli/fits.js";
export { main as runCli } from "./cli/main.js";
export * from "./config/index.js";
export * from "./exec/index.js";
export * from "./pipeline/index.js";
export * from "./task/index.js";
