import { loadConfig } from '../../src/config/load.js';
import type { AppConfig } from '../../src/config/schema.js';
import { loadManifest } from '../../src/domain/manifest.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import type { Store } from '../../src/store/store.js';
import type { Connector } from '../../connectors/types.js';

/** The loop's dependencies with the default config (plus overrides, e.g. a smaller minimum history). */
export function loopDeps(store: Store, connector: Connector, overrides: Record<string, unknown> = {}): LoopDeps & { config: AppConfig } {
  return { store, connector, config: loadConfig({ env: {}, overrides }), manifest: loadManifest() };
}
