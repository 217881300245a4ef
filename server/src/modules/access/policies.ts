import { recordAudit } from '../../platform/audit/audit.ts';
import { announceAuthChange } from '../../platform/auth/invalidation.ts';
import type { CaseScopeName } from '../../platform/db/tables/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import type { Compartment } from './access.ts';
import { authorize, caseAccess } from './access.ts';
import { forgetFieldRules } from './masking.ts';

/** Role scopes and break-glass rules, as an administrator edits them. */
export async function listAccessPolicies(ctx: ServiceContext) {
  authorize(ctx.actor, 'access:manage');
  const rows = await ctx.db
    .selectFrom('access_role_policies')
    .select(['role_code', 'case_scope', 'break_glass_compartments', 'version'])
    .orderBy('role_code')
    .execute();
  return rows.map((r) => ({
    roleCode: r.role_code,
    caseScope: r.case_scope,
    breakGlassCompartments: r.break_glass_compartments,
    version: r.version,
  }));
}

export async function putAccessPolicy(
  ctx: ServiceContext,
  roleCode: string,
  input: { caseScope: CaseScopeName; breakGlassCompartments: Compartment[] },
) {
  authorize(ctx.actor, 'access:manage');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('roles').select('id').where('code', '=', roleCode).executeTakeFirst();
    if (!role) throw new AppError('ROLE_NOT_FOUND');
    const compartments = [...new Set(input.breakGlassCompartments)];
    const row = await trx
      .insertInto('access_role_policies')
      .values({ role_code: roleCode, case_scope: input.caseScope, break_glass_compartments: compartments })
      .onConflict((oc) =>
        oc.column('role_code').doUpdateSet((eb) => ({
          case_scope: input.caseScope,
          break_glass_compartments: compartments,
          updated_at: new Date(),
          version: eb('access_role_policies.version', '+', 1),
        })),
      )
      .returning(['role_code', 'case_scope', 'break_glass_compartments', 'version'])
      .executeTakeFirstOrThrow();
    // Scopes ride on the resolved actor: every process drops every cached one when this commits.
    await announceAuthChange(ctx.db, trx, 'all');
    await recordAudit(trx, ctx.audit, {
      action: 'access.policy_update',
      targetType: 'role',
      targetId: role.id,
      details: { roleCode, caseScope: input.caseScope, breakGlassCompartments: compartments },
    });
    return row;
  });
  return {
    roleCode: result.role_code,
    caseScope: result.case_scope,
    breakGlassCompartments: result.break_glass_compartments,
    version: result.version,
  };
}

export async function listFieldRules(ctx: ServiceContext) {
  authorize(ctx.actor, 'access:manage');
  return ctx.db
    .selectFrom('field_sensitivity')
    .select(['resource', 'field', 'compartment', 'ask', 'version'])
    .orderBy('resource')
    .orderBy('field')
    .execute();
}

export async function putFieldRule(
  ctx: ServiceContext,
  input: { resource: string; field: string; compartment: Compartment; ask: string },
) {
  authorize(ctx.actor, 'access:manage');
  const row = await ctx.db.transaction().execute(async (trx) => {
    const saved = await trx
      .insertInto('field_sensitivity')
      .values(input)
      .onConflict((oc) =>
        oc.columns(['resource', 'field']).doUpdateSet((eb) => ({
          compartment: input.compartment,
          ask: input.ask,
          updated_at: new Date(),
          version: eb('field_sensitivity.version', '+', 1),
        })),
      )
      .returning(['resource', 'field', 'compartment', 'ask', 'version'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'access.field_rule_update',
      targetType: 'field_rule',
      targetId: `${input.resource}.${input.field}`,
      details: { compartment: input.compartment },
    });
    // Every process forgets its field rules when this commits (and this one at once).
    await announceAuthChange(ctx.db, trx, 'all');
    return saved;
  });
  forgetFieldRules(ctx.db);
  return row;
}

export async function deleteFieldRule(ctx: ServiceContext, key: { resource: string; field: string }) {
  authorize(ctx.actor, 'access:manage');
  await ctx.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('field_sensitivity')
      .where('resource', '=', key.resource)
      .where('field', '=', key.field)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw new AppError('FIELD_RULE_NOT_FOUND');
    await recordAudit(trx, ctx.audit, {
      action: 'access.field_rule_delete',
      targetType: 'field_rule',
      targetId: `${key.resource}.${key.field}`,
    });
    await announceAuthChange(ctx.db, trx, 'all');
  });
  forgetFieldRules(ctx.db);
}

/** What the actor may see of one case and why: for the web to show "restricted, ask …" honestly. */
export async function explainCaseAccess(ctx: ServiceContext, caseId: string) {
  const access = await caseAccess(ctx.db, ctx.actor, caseId);
  if (!access) throw new AppError('NOT_FOUND');
  return {
    caseId: access.caseId,
    read: [...access.read].sort(),
    write: [...access.write].sort(),
    via: access.via,
  };
}
