import type { Kysely } from 'kysely';

/**
 * Review before send (`review: required`): a render in `awaiting_review`
 * keeps the link (and e-mail thumbnail address) its CRM write-back will carry
 * once an operator approves, computed when the video finished (the same ones
 * a normal completion writes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('renders').addColumn('review_link', 'text').execute();
  await db.schema.alterTable('renders').addColumn('review_thumbnail', 'text').execute();
}
