import type { Knex } from 'knex';

// A closing report is the sum of its session's payments at closing time; a payment booked into the
// session afterwards would make the frozen report wrong. Refused here whatever the code does. The lock
// waits for a closing in progress (it holds the session row FOR UPDATE) and then reads its outcome.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION payments_refuse_closed_till() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      closed timestamptz;
    BEGIN
      IF NEW.till_session_id IS NOT NULL THEN
        SELECT closed_at INTO closed FROM till_sessions WHERE id = NEW.till_session_id FOR KEY SHARE;
        IF closed IS NOT NULL THEN
          RAISE EXCEPTION 'till session % is closed; no payment can be added to it', NEW.till_session_id USING ERRCODE = 'check_violation';
        END IF;
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER payments_open_till_only BEFORE INSERT ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_refuse_closed_till()
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER payments_open_till_only ON payments');
  await knex.raw('DROP FUNCTION payments_refuse_closed_till()');
}
