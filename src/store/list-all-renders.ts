import type { Store } from './db.js';
import type { RenderRow } from './schema.js';

/** Every render except the duplicates of another (the demo's closing table counts these). */
export function listRendersBesidesDuplicates(store: Store): Promise<RenderRow[]> {
  return store.db.selectFrom('renders').selectAll().where('state', '!=', 'duplicate').execute();
}
