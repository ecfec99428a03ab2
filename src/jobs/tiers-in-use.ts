import type { Tier } from '../config/tiers.js';
import { parseTiers } from '../scoring/tiers.js';
import type { Store } from '../store/store.js';
import type { AppConfig } from '../config/schema.js';

/** The store setting managers change from the admin page; config `tiers` until they do. */
export const TIERS_SETTING = 'tiers';

export async function tiersInUse(store: Store, config: AppConfig): Promise<Tier[]> {
  const setting = await store.settings.get<unknown>(TIERS_SETTING);
  return setting ? parseTiers(setting.value, `settings.${TIERS_SETTING}`) : config.tiers;
}
