import { loadEnv } from '../config/env.js';
import { migrateDatabase, openDatabase } from '../app/database.js';



export async function run(): Promise<void> {
  const env = loadEnv(process.env, {});
  const store = openDatabase(env.databaseUrl);
  try {
    const result = await migrateDatabase(store);
    process.stdout.write(
      result.applied.length === 0 ? `${store.describe}: up to date\n` : `${store.describe}: applied ${result.applied.join(', ')}\n`,
    );
  } finally {
    await store.close();
  }
}
