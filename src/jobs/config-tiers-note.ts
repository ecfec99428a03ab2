import { isDeepStrictEqual } from 'node:util';
import { configFile } from '../config/load.js';
import type { AppConfig } from '../config/schema.js';
import { describeTiers } from '../config/tiers.js';
import type { Store } from '../store/store.js';
import { TIERS_SETTING, tiersInUse } from './tiers-in-use.js';

/**
 * Tiers a manager saved on the admin page win over the config file's (tiersInUse). An admin who
 * edits LEADLIFT_CONFIG's `tiers` afterwards would otherwise see nothing change and no reason why:
 * this says which tiers are in force and where to change them. Null when nothing conflicts.
 */
export async function configTiersNote(store: Store, config: AppConfig, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const file = configFile(env);
  if (!file?.keys.includes('tiers')) return null;
  const saved = await store.settings.get<unknown>(TIERS_SETTING);
  if (!saved) return null;
  const inForce = await tiersInUse(store, config);
  if (isDeepStrictEqual(inForce, config.tiers)) return null;
  return (
    `The tiers in ${file.path} (${describeTiers(config.tiers)}) are not used: tiers saved on the admin page win over the config file, ` +
    `and ${saved.updatedBy} saved ${describeTiers(inForce)} there (${saved.updatedAt}). Change the tiers on the admin page (/admin).`
  );
}
