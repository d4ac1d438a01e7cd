/** @skystack/pipe — configs, tasks, butler, pipelines, executors and the skystack CLI. */
export { main as runCli } from "./cli/main.js";
export { type HduSummary, summarizeHdu } from "./cli/fits.js";
export { type DemoStatistics, demoStatistics } from "./cli/demo.js";
export * from "./config/index.js";
export * from "./task/index.js";
export * from "./butler/index.js";
export * from "./pipeline/index.js";
export * from "./exec/index.js";
