/** Typed configs: fields, schemas, overrides. */
export { ConfigError, type ConfigIssue } from "./errors.js";
export {
  type BoolOptions,
  type Check,
  type ChoiceOptions,
  type CommonOptions,
  type Configurable,
  type DictOptions,
  decodeNumber,
  encodeNumber,
  type Field,
  type FieldLine,
  type FieldType,
  field,
  type ListOptions,
  type MultiRegistryValue,
  type NumberOptions,
  type RegistryChoice,
  type RegistryChoices,
  type RegistryValue,
  registryInfo,
  type StringOptions,
  subtaskTarget,
} from "./fields.js";
export { applyOverrides, type ConfigOverride, readConfigFile } from "./overrides.js";
export {
  type AnyConfigSchema,
  type ConfigOf,
  ConfigSchema,
  type ConfigValue,
  type DeepPartial,
  defineConfig,
  type FieldMap,
  type Frozen,
  formatConfig,
  type SchemaOptions,
} from "./schema.js";
