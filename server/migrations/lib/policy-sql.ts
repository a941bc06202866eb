/**
 * SQL for row-level security policies that PostgreSQL evaluates once per statement rather than once per
 * row (see migration 20261204190000_policies_evaluated_once). Use these in every new policy instead of
 * calling app_visible_tenant(), app_may_sell() or a bare app_tenant() in a policy expression.
 */

/** The current tenant, computed once per statement (an InitPlan). */
export const CURRENT_TENANT = '(SELECT app_tenant())';

/** Same rule as app_visible_tenant(column): the current tenant, or one of its children when asked for. */
export function visibleTenant(column: string): string {
  return (
    `(${column} = ${CURRENT_TENANT} OR ${column} IN (SELECT t.id FROM tenants t WHERE t.parent_id = ${CURRENT_TENANT}` +
    ` AND current_setting('app.include_children', true) = 'on'))`
  );
}

/** Same rule as app_may_sell(column): the current tenant is an outlet with the right to sell the event. */
export function maySell(column: string): string {
  return `(${column} IN (SELECT r.event_id FROM sales_rights r WHERE r.outlet_id = ${CURRENT_TENANT}))`;
}

// A column reference as PostgreSQL deparses it in a policy: tenant_id, e.id, "odd name".
const COLUMN = String.raw`((?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")(?:\.(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+"))?)`;
const BARE_TENANT = /(?<!SELECT )\bapp_tenant\(\)/g;
const VISIBLE = new RegExp(String.raw`\bapp_visible_tenant\(${COLUMN}\)`, 'g');
const MAY_SELL = new RegExp(String.raw`\bapp_may_sell\(${COLUMN}\)`, 'g');

/**
 * Rewrites a policy expression (as pg_policies shows it) into the once-evaluated form. Throws when a
 * call remains that it cannot rewrite (an argument that is not a plain column), rather than leave it.
 */
export function onceEvaluated(expression: string): string {
  const out = expression.replace(BARE_TENANT, CURRENT_TENANT).replace(VISIBLE, (_m, col: string) => visibleTenant(col)).replace(MAY_SELL, (_m, col: string) => maySell(col));
  if (callsPerRow(out)) throw new Error(`policy expression not rewritten: ${expression}`);
  return out;
}

/** Whether a policy expression calls a tenant function per row. */
export function callsPerRow(expression: string): boolean {
  return /\bapp_visible_tenant\(|\bapp_may_sell\(/.test(expression) || /(?<!SELECT )\bapp_tenant\(\)/.test(expression);
}
