/** @skystack/pipe — configs, tasks, butler, pipelines, executors and the skystack CLI. */
export { main as runCli } from "./cli/main.js";
export { type HduSummary, summarizeHdu } from "./cli/fits.js";
export { type DemoStatistics, demoStatistics } from "./cli/demo.js";
