import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Render statistics for the dashboard's overview, kept by triggers so that
 * every write to `renders` (whatever store function makes it) keeps them
 * right, on both dialects alike.
 *
 * A render row states a few facts, each counting 1 for its campaign
 * (`renderFacts`): its state; the UTC day it was triggered; the day it
 * finished (completed or failed), and why it failed or was skipped; the day
 * it was billed. The triggers append each change of a row's facts to
 * `render_stat_changes` (+1 for a fact gained, -1 for one lost): an
 * append-only log with no hot row, so concurrent writers on PostgreSQL never
 * wait for each other on a counter. Housekeeping folds the log into
 * `render_stats` (`store/compact-render-stats.ts`); a reader sums both
 * tables in one statement, so it sees exact counts at every moment.
 *
 * Also: the list filtered by object type walks `renders_object_type_id`
 * newest first instead of sorting every render of the type, and
 * `renders_billed` goes (the overview's billed counts were its only reader).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const pg = ctx.dialect === 'postgres';
  const id = pg ? 'bigserial' : 'integer';
  const big = pg ? 'bigint' : 'integer';
  // SQLite runs migrations outside a transaction: make this one atomic, so no
  // render written meanwhile is missed between the backfill and the triggers.
  const atomically = pg ? (fn: (trx: Kysely<unknown>) => Promise<void>) => fn(db) : (fn: (trx: Kysely<unknown>) => Promise<void>) => db.transaction().execute(fn);
  await atomically(async (db) => {
    await db.schema
      .createTable('render_stats')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('day', sql.raw(big), (c) => c.notNull())
      .addColumn('n', sql.raw(big), (c) => c.notNull())
      .addPrimaryKeyConstraint('render_stats_pk', ['campaign_id', 'metric', 'key', 'day'])
      .execute();
    // The overview reads the states (day 0) and the recent days of every campaign.
    await db.schema.createIndex('render_stats_day').on('render_stats').column('day').execute();
    await db.schema
      .createTable('render_stat_changes')
      .addColumn('id', sql.raw(id), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('day', sql.raw(big), (c) => c.notNull())
      .addColumn('n', sql.raw(big), (c) => c.notNull())
      .execute();

    if (pg) {
      await sql.raw(`create function reelay_render_facts(r renders) returns table (campaign_id text, metric text, key text, day bigint)
        language sql immutable as $$ ${factSelects('r')} $$`).execute(db);
      await sql.raw(`create function reelay_render_stats() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then
            insert into render_stat_changes (campaign_id, metric, key, day, n) select f.campaign_id, f.metric, f.key, f.day, 1 from reelay_render_facts(new) f;
          elsif tg_op = 'DELETE' then
            insert into render_stat_changes (campaign_id, metric, key, day, n) select f.campaign_id, f.metric, f.key, f.day, -1 from reelay_render_facts(old) f;
          else
            insert into render_stat_changes (campaign_id, metric, key, day, n)
            ${netted('select o.campaign_id, o.metric, o.key, o.day, -1 as n from reelay_render_facts(old) o', 'select w.campaign_id, w.metric, w.key, w.day, 1 from reelay_render_facts(new) w')};
          end if;
          return null;
        end $$`).execute(db);
      await sql.raw(`create trigger render_stats_insert_delete after insert or delete on renders for each row execute function reelay_render_stats()`).execute(db);
      await sql.raw(`create trigger render_stats_update after update of ${FACT_COLUMNS.join(', ')} on renders for each row
        when (${FACT_COLUMNS.map((c) => `old.${c} is distinct from new.${c}`).join(' or ')}) execute function reelay_render_stats()`).execute(db);
    } else {
      await sql.raw(`create trigger render_stats_insert after insert on renders begin
        insert into render_stat_changes (campaign_id, metric, key, day, n) select campaign_id, metric, key, day, 1 from (${factSelects('new')});
        end`).execute(db);
      await sql.raw(`create trigger render_stats_delete after delete on renders begin
        insert into render_stat_changes (campaign_id, metric, key, day, n) select campaign_id, metric, key, day, -1 from (${factSelects('old')});
        end`).execute(db);
      await sql.raw(`create trigger render_stats_update after update of ${FACT_COLUMNS.join(', ')} on renders
        when ${FACT_COLUMNS.map((c) => `old.${c} is not new.${c}`).join(' or ')} begin
        insert into render_stat_changes (campaign_id, metric, key, day, n)
        ${netted(`select campaign_id, metric, key, day, -1 as n from (${factSelects('old')})`, `select campaign_id, metric, key, day, 1 from (${factSelects('new')})`)};
        end`).execute(db);
    }

    // The renders already there, one grouped insert per fact.
    for (const fact of renderFacts('renders')) {
      await sql.raw(`insert into render_stats (campaign_id, metric, key, day, n)
        select renders.campaign_id, ${fact.metric}, ${fact.key}, ${fact.day}, count(*) from renders
        ${fact.when === undefined ? '' : `where ${fact.when}`} group by 1, 2, 3, 4`).execute(db);
    }
  });

  await db.schema.createIndex('renders_object_type_id').on('renders').columns(['object_type', 'id']).execute();
  await db.schema.dropIndex('renders_billed').execute();
}

const DAY_MS = 86_400_000;

/** The columns a render's facts are read from: an update that changes none of them changes no statistic. */
const FACT_COLUMNS = ['campaign_id', 'state', 'created_at', 'finished_at', 'submitted_at', 'video_id', 'error_code', 'error_message'];

interface Fact {
  /** SQL expressions over the render row `r`. */
  metric: string;
  key: string;
  day: string;
  /** The fact holds only when this is true. */
  when?: string;
}

/**
 * A render's facts: the definition both dialects' triggers and the backfill
 * are generated from. Each counts 1 for the render's campaign; days are UTC
 * days since the epoch.
 */
function renderFacts(r: string): Fact[] {
  const finished = `${r}.finished_at is not null`;
  return [
    // Every render, by state (day 0: states have no day).
    { metric: `'state'`, key: `${r}.state`, day: '0' },
    // Triggered, by the day it was created: every render but an expanded trigger (its recipients' renders count instead).
    { metric: `'triggered'`, key: `''`, day: `${r}.created_at / ${DAY_MS}`, when: `${r}.state <> 'expanded'` },
    // Completed or failed, by the day it finished (the chart).
    { metric: `'finished'`, key: `${r}.state`, day: `${r}.finished_at / ${DAY_MS}`, when: `${r}.state in ('completed', 'failed') and ${finished}` },
    // Why it failed (its error code) or was skipped (its message: skips share one code), by the day it finished.
    {
      metric: `${r}.state || '_reason'`,
      key: `coalesce(case when ${r}.state = 'skipped' then ${r}.error_message else ${r}.error_code end, '(none given)')`,
      day: `${r}.finished_at / ${DAY_MS}`,
      when: `${r}.state in ('failed', 'skipped') and ${finished}`,
    },
    // Billed: HeyGen accepted the create (the render has a video id), by the day it was submitted.
    { metric: `'billed'`, key: `''`, day: `${r}.submitted_at / ${DAY_MS}`, when: `${r}.video_id is not null and ${r}.submitted_at is not null` },
  ];
}

/** The facts of the row `r` (a trigger's `new` or `old`, a function's argument) as one UNION ALL of SELECTs. */
function factSelects(r: string): string {
  return renderFacts(r)
    .map((f) => `select ${r}.campaign_id as campaign_id, ${f.metric} as metric, ${f.key} as key, ${f.day} as day${f.when === undefined ? '' : ` where ${f.when}`}`)
    .join(' union all ');
}

/** An update's changes: the old facts' -1 and the new facts' +1, netted, so a fact both rows state appends nothing. */
function netted(oldFacts: string, newFacts: string): string {
  return `select campaign_id, metric, key, day, sum(n) from (${oldFacts} union all ${newFacts}) c
    group by campaign_id, metric, key, day having sum(n) <> 0`;
}
