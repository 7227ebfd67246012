import { loadEnv } from '../config/env.js';
import { openStore } from '../store/db.js';
import { migrate } from '../store/migrate.js';



export async function run(): Promise<void> {
  const env = loadEnv(process.env, {});
  const store = openStore(env.databaseUrl);
  try {
    const result = await migrate(store);
    process.stdout.write(
      result.applied.length === 0 ? `${store.describe}: up to date\n` : `${store.describe}: applied ${result.applied.join(', ')}\n`,
    );
  } finally {
    await store.close();
  }
}
