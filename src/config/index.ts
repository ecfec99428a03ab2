export { loadConfig, deepMerge, defaultConfigPath, type LoadConfigOptions } from './load.js';
export { configSchema, type AppConfig, type ModelConfig, type CalibrationConfig } from './schema.js';
export { tiersSchema, tierSchema, type Tier } from './tiers.js';
export { parseConfigValue } from './validate.js';
