import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshNameKeys } from '../identity/keys-repository.ts';
import { ANONYMISED_TEXT } from './anonymised.ts';
import { createWorld, type World, type WorldRecord } from './test-world.ts';

/**
 * Anonymisation and deletion reach every module: a person is given a case and free text in every
 * place Homeward keeps it, each carrying the person's canary; afterwards the canary is nowhere in
 * the database, and the audit trail (append-only, so never cleaned) never held it.
 */
describe('anonymisation and deletion across modules', { timeout: 180_000 }, () => {
  let w: World;
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'homeward-anon-'));

  beforeAll(async () => {
    w = await createWorld({ HOMEWARD_ATTACHMENTS_DIR: attachmentsDir });
  });
  afterAll(async () => {
    await w?.close();
    rmSync(attachmentsDir, { recursive: true, force: true });
  });

  /** Every table and text/jsonb/array column of the schema holding `needle`, with row counts. */
  async function whereFound(needle: string): Promise<Record<string, number>> {
    const columns = await sql<{ table_name: string; column_name: string }>`
      SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND (c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'character', 'ARRAY'))
      ORDER BY 1, 2`.execute(w.handle.db);
    expect(columns.rows.length).toBeGreaterThan(100);
    const found: Record<string, number> = {};
    for (const { table_name, column_name } of columns.rows) {
      const hits = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table_name)}
        WHERE strpos(lower(${sql.ref(column_name)}::text), lower(${needle})) > 0`.execute(w.handle.db);
      const n = hits.rows[0]?.n ?? 0;
      if (n > 0) found[`${table_name}.${column_name}`] = n;
    }
    return found;
  }

  /**
   * Puts the record's canary in every free-text place: through the API where a role writes it (so
   * the audit trail sees the real requests), directly where the writer is a workflow this test does
   * not drive (screening, merges, assessments, decisions, break-glass).
   */
  async function populate(record: WorldRecord) {
    const db = w.handle.db;
    const token = record.canary;
    const text = (where: string) => `${where} about ${token}, synthetic`;
    const ok = async (response: { statusCode: number; body: string }, status = [200, 201, 204]) => {
      expect(status, response.body).toContain(response.statusCode);
      return response;
    };
    const as = (method: string, url: string, payload?: unknown) => w.as('supervisor', method, url, payload);
    const person = (await ok(await as('GET', `/api/persons/${record.personId}`))).body;
    await ok(
      await as('PATCH', `/api/persons/${record.personId}`, {
        version: JSON.parse(person).version,
        placeOfBirth: text('born in'),
        whereaboutsDetail: text('staying with'),
      }),
    );
    await ok(
      await as('POST', `/api/persons/${record.personId}/names`, {
        fullName: `Aigerim ${token}`,
        givenName: 'Aigerim',
        familyName: token,
        script: 'latin',
        nameType: 'alias',
        source: 'testimony',
      }),
    );
    await ok(
      await as('POST', `/api/persons/${record.personId}/documents`, {
        documentType: 'passport',
        number: `N${token}`,
        issuer: text('issued'),
        status: 'lost',
      }),
    );
    const nationality = (
      await ok(
        await as('POST', `/api/persons/${record.personId}/nationalities`, {
          country: 'KZ',
          status: 'claimed',
        }),
      )
    ).body;
    await ok(
      await as(
        'POST',
        `/api/persons/${record.personId}/nationalities/${JSON.parse(nationality).nationalities[0].id}/evidence`,
        {
          kind: 'document',
          reference: text('birth record'),
          outcome: 'pending',
        },
      ),
    );
    await ok(
      await as('POST', '/api/tracing-requests', {
        soughtPersonId: record.personId,
        lastKnownLocation: text('last seen'),
      }),
    );
    await ok(
      await as('POST', `/api/persons/${record.personId}/care-arrangements`, {
        kind: 'institution',
        startsOn: '2024-01-01',
        reason: text('no family care'),
      }),
    );
    await ok(
      await as('POST', `/api/cases/${record.caseId}/notes`, {
        compartment: 'protection',
        body: text('note'),
      }),
    );
    await ok(
      await as('POST', `/api/cases/${record.caseId}/tasks`, { title: text('task'), dueOn: '2030-01-01' }),
    );
    await ok(
      await as('POST', `/api/cases/${record.caseId}/plans`, {
        title: text('plan'),
        goals: [{ domain: 'family', description: text('goal') }],
        actions: [{ goal: 0, description: text('action') }],
      }),
    );
    const upload = await w.app.inject({
      method: 'POST',
      url: `/api/cases/${record.caseId}/attachments?compartment=protection&fileName=${token}.txt`,
      headers: {
        cookie: w.sessions.supervisor.cookie,
        'x-csrf-token': w.sessions.supervisor.csrfToken,
        'content-type': 'text/plain',
      },
      payload: text('statement'),
    });
    await ok(upload);
    const attachmentId = upload.json().id as string;
    expect(existsSync(join(attachmentsDir, attachmentId))).toBe(true);

    // Written by workflows this test does not drive.
    const me = w.users.supervisor;
    await db.transaction().execute((trx) => refreshNameKeys(trx, [record.personId]));
    await db
      .updateTable('cases')
      .set({ close_reason: text('close reason') })
      .where('id', '=', record.caseId)
      .execute();
    for (const compartment of ['health', 'justice', 'security', 'education', 'referral_packet'] as const) {
      await db
        .insertInto('case_notes')
        .values({ case_id: record.caseId, compartment, body: text(`${compartment} note`), author_id: me })
        .execute();
    }
    await db
      .insertInto('referrals')
      .values({
        case_id: record.caseId,
        from_agency_id: w.agencies.MSP!,
        to_agency_id: w.agencies['NGO-WRC']!,
        service_type: 'psychosocial',
        packet_summary: text('packet'),
        status: 'declined',
        consent_override_reason: text('override'),
        decline_reason: text('decline'),
        created_by: me,
      })
      .execute();
    await db
      .insertInto('case_transitions')
      .values({
        case_id: record.caseId,
        transition: 'protection.review',
        kind: 'track',
        track: 'protection',
        to_value: 'active',
        comment: text('transition'),
        performed_by: me,
      })
      .execute();
    await db
      .insertInto('case_approvals')
      .values({
        case_id: record.caseId,
        transition: 'close',
        payload: JSON.stringify({ closeReason: text('approval payload'), prosecutionAgencyId: null }),
        requested_by: me,
        request_comment: text('approval request'),
      })
      .execute();
    await db
      .insertInto('consents')
      .values({
        person_id: record.personId,
        purpose: 'referral',
        version: 1,
        legal_basis: 'consent',
        decision: 'granted',
        subject_is_child: false,
        recorded_by: me,
        withdrawn_at: new Date(),
        withdrawn_by: me,
        withdrawal_reason: text('withdrawal'),
      })
      .execute();
    await db
      .insertInto('disclosures')
      .values({
        case_id: record.caseId,
        recipient_agency_id: w.agencies.MOH!,
        sections: ['health'],
        legal_basis: 'vital_interest',
        purpose: text('disclosure purpose'),
        disclosed_by: me,
        expires_at: new Date(Date.now() + 86_400_000),
        revoked_at: new Date(),
        revoked_by: me,
        revocation_reason: text('revocation'),
      })
      .execute();
    await db
      .insertInto('break_glass_grants')
      .values({
        user_id: me,
        case_id: record.caseId,
        compartments: ['health'],
        reason: text('emergency access needed'),
        expires_at: new Date(Date.now() + 3_600_000),
        reviewed_at: new Date(),
        reviewed_by: me,
        review_outcome: 'justified',
        review_note: text('review note'),
      })
      .execute();
    await db
      .insertInto('legal_holds')
      .values({
        person_id: record.personId,
        reason: text('old hold'),
        placed_by: me,
        lifted_at: new Date(),
        lifted_by: me,
        lift_reason: text('hold lifted'),
      })
      .execute();
    const survivor = await db
      .insertInto('persons')
      .values({ sex: 'female', birth_date_kind: 'unknown', owner_agency_id: w.agencies.MSP! })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('person_merges')
      .values({
        survivor_id: survivor.id,
        merged_id: record.personId,
        reason: text('duplicate of'),
        moved: JSON.stringify({ names: [], displayNameId: null, nationalities: [], documents: [] }),
        merged_by: me,
        undone_by: me,
        undone_at: new Date(),
      })
      .execute();
    // Screening: the list entry is the list's, not the person's; the hit explains with the person's name.
    const version = await db
      .insertInto('watchlist_versions')
      .values({
        date_generated: new Date(),
        sha256: createHash('sha256').update(record.kind).digest('hex'),
        individuals: 1,
        entities: 0,
        diff: JSON.stringify({ added: [], removed: [], changed: [] }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const entry = await db
      .insertInto('watchlist_entries')
      .values({
        version_id: version.id,
        kind: 'individual',
        reference_number: `QDi.${record.kind}`,
        listed_name: 'LISTED SYNTHETIC PERSON',
        names: JSON.stringify([{ name: 'LISTED SYNTHETIC PERSON', type: 'primary', quality: null }]),
        births: JSON.stringify([]),
        nationalities: [],
        places_of_birth: [],
        documents: JSON.stringify([]),
        content_hash: 'h',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = await db
      .insertInto('screening_runs')
      .values({
        version_id: version.id,
        trigger: 'manual',
        algorithm_version: 'test',
        threshold: 0.8,
        persons_screened: 1,
        hits: 1,
        suppressed: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hit = await db
      .insertInto('screening_hits')
      .values({
        run_id: run.id,
        person_id: record.personId,
        entry_id: entry.id,
        reference_number: `QDi.${record.kind}`,
        score: 0.9,
        decision: 'possible',
        explanation: JSON.stringify([`given name Gulnara ${token} ~ LISTED`]),
        weak_alias: false,
        status: 'false_positive',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('screening_reviews')
      .values({
        hit_id: hit.id,
        reviewer_id: me,
        disposition: 'false_positive',
        reason: text('not the listed'),
      })
      .execute();
    await db
      .insertInto('screening_false_positives')
      .values({
        person_id: record.personId,
        reference_number: `QDi.${record.kind}`,
        entry_content_hash: 'h',
        hit_id: hit.id,
        reason: text('false positive'),
      })
      .execute();
    // Assessments: a text item, a choice item, narratives, two raters who differed, a panel decision.
    const instrument = await db
      .insertInto('instrument_versions')
      .values({
        code: `anon_${record.kind.toLowerCase()}`,
        version: 1,
        kind: 'needs',
        compartment: 'protection',
        definition: JSON.stringify({
          domains: [
            {
              id: 'story',
              items: [
                { id: 'account', type: 'text' },
                { id: 'need', type: 'single_choice' },
              ],
            },
          ],
        }),
        sha256: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answers = {
      account: { value: text('answer'), note: text('answer note'), evidence: [text('evidence')] },
      need: { value: 'high', note: text('choice note') },
    };
    const output = { judgement: 'high', narrative: text('narrative'), managementPlan: text('plan') };
    const assessment = await db
      .insertInto('assessments')
      .values({
        case_id: record.caseId,
        person_id: record.personId,
        instrument_version_id: instrument.id,
        instrument_code: `anon_${record.kind.toLowerCase()}`,
        compartment: 'protection',
        status: 'signed_off',
        requires_sign_off: true,
        answers: JSON.stringify(answers),
        computed: JSON.stringify({}),
        output: JSON.stringify(output),
        judgement: 'high',
        submitted_at: new Date(),
        signed_off_by: me,
        signed_off_at: new Date(),
        sign_off_comment: text('sign-off'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const rater of [me, w.users.case_worker]) {
      await db
        .insertInto('assessment_ratings')
        .values({
          assessment_id: assessment.id,
          rater_id: rater,
          answers: JSON.stringify(answers),
          output: JSON.stringify(output),
        })
        .execute();
    }
    await db
      .insertInto('assessment_disagreements')
      .values({
        assessment_id: assessment.id,
        item_id: 'account',
        ratings: JSON.stringify([
          { raterId: me, value: text('first account') },
          { raterId: w.users.case_worker, value: text('second account') },
        ]),
        consensus: JSON.stringify(text('consensus')),
        note: text('disagreement'),
      })
      .execute();
    const decision = await db
      .insertInto('panel_decisions')
      .values({
        case_id: record.caseId,
        kind: 'care_arrangement',
        compartment: 'protection',
        outcome: 'kinship',
        options: JSON.stringify([{ option: text('option'), assessment: assessment.id }]),
        rationale: text('rationale'),
        decided_on: '2025-01-01',
        recorded_by: me,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('panel_decision_participants')
      .values({
        decision_id: decision.id,
        position: 0,
        role: 'chair',
        vote: 'dissent',
        dissent: text('dissent'),
      })
      .execute();
    return { attachmentId };
  }

  /** Every place populate() put the canary: the scan must see each before it can prove them gone. */
  const expectedPlaces = [
    'assessment_disagreements.consensus',
    'assessment_disagreements.note',
    'assessment_disagreements.ratings',
    'assessment_ratings.answers',
    'assessment_ratings.output',
    'assessments.answers',
    'assessments.output',
    'assessments.sign_off_comment',
    'break_glass_grants.reason',
    'break_glass_grants.review_note',
    'care_arrangements.reason',
    'case_approvals.payload',
    'case_approvals.request_comment',
    'case_attachments.file_name',
    'case_notes.body',
    'case_plans.title',
    'case_tasks.title',
    'case_transitions.comment',
    'cases.close_reason',
    'consents.withdrawal_reason',
    'disclosures.purpose',
    'disclosures.revocation_reason',
    'legal_holds.reason',
    'legal_holds.lift_reason',
    'nationality_evidence.reference',
    'panel_decision_participants.dissent',
    'panel_decisions.options',
    'panel_decisions.rationale',
    'person_documents.issuer',
    'person_documents.number',
    'person_history.after',
    'person_merges.reason',
    'person_names.family_name',
    'person_names.full_name',
    'persons.place_of_birth',
    'persons.whereabouts_detail',
    'plan_actions.description',
    'plan_goals.description',
    'referrals.consent_override_reason',
    'referrals.decline_reason',
    'referrals.packet_summary',
    'screening_false_positives.reason',
    'screening_hits.explanation',
    'screening_reviews.reason',
    'tracing_requests.last_known_location',
  ];

  it('leaves the canary nowhere in the database, and the audit trail never held it', async () => {
    const record = w.records.assignedToMe;
    const { attachmentId } = await populate(record);
    const before = await whereFound(record.canary);
    expect(Object.keys(before).sort()).toEqual(expect.arrayContaining(expectedPlaces));
    expect(before['audit_events.details']).toBeUndefined();
    expect(before['audit_events.justification']).toBeUndefined();
    const keys = await w.handle.db
      .selectFrom('person_name_keys')
      .select('key')
      .where('person_id', '=', record.personId)
      .execute();
    expect(keys.length).toBeGreaterThan(0);

    // Refused under legal hold: nothing changes.
    const hold = await w.as('data_protection_officer', 'POST', '/api/retention/holds', {
      personId: record.personId,
      reason: 'synthetic proceedings pending',
    });
    expect(hold.statusCode).toBe(201);
    const refused = await w.as(
      'data_protection_officer',
      'POST',
      `/api/retention/persons/${record.personId}/anonymise`,
    );
    expect(refused.json().code).toBe('LEGAL_HOLD_ACTIVE');
    expect(Object.keys(await whereFound(record.canary)).length).toBeGreaterThanOrEqual(expectedPlaces.length);
    const lifted = await w.as(
      'data_protection_officer',
      'POST',
      `/api/retention/holds/${hold.json().id}/lift`,
      {
        reason: 'the proceedings have ended',
      },
    );
    expect(lifted.statusCode).toBe(200);

    const done = await w.as(
      'data_protection_officer',
      'POST',
      `/api/retention/persons/${record.personId}/anonymise`,
    );
    expect(done.statusCode, done.body).toBe(204);
    expect(await whereFound(record.canary)).toEqual({});
    expect(await whereFound(w.whereaboutsCanary)).toEqual({});
    expect(existsSync(join(attachmentsDir, attachmentId))).toBe(false);
    expect(
      await w.handle.db
        .selectFrom('person_name_keys')
        .select('key')
        .where('person_id', '=', record.personId)
        .execute(),
    ).toEqual([]);
    // What stays is the shape: the case, its notes (as markers), the closed-set answer.
    const notes = await w.handle.db
      .selectFrom('case_notes')
      .select('body')
      .where('case_id', '=', record.caseId)
      .execute();
    expect(notes.length).toBe(6);
    expect(new Set(notes.map((n) => n.body))).toEqual(new Set([ANONYMISED_TEXT]));
    const assessment = await w.handle.db
      .selectFrom('assessments')
      .select(['answers', 'output'])
      .where('person_id', '=', record.personId)
      .executeTakeFirstOrThrow();
    expect(assessment.answers).toEqual({ account: { value: ANONYMISED_TEXT }, need: { value: 'high' } });
    expect(assessment.output).toEqual({
      judgement: 'high',
      narrative: ANONYMISED_TEXT,
      managementPlan: ANONYMISED_TEXT,
    });

    // The audit entry counts categories, never content.
    const entry = await w.handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'retention.anonymise')
      .where('target_id', '=', record.personId)
      .executeTakeFirstOrThrow();
    const details = entry.details as { cases: number; categories: Record<string, number> };
    expect(details.cases).toBe(1);
    for (const category of [
      'names',
      'documents',
      'nationalityEvidence',
      'historyEntries',
      'nameKeys',
      'screeningHits',
      'screeningReviews',
      'falsePositives',
      'merges',
      'tracingRequests',
      'careArrangements',
      'caseCloseReasons',
      'transitionComments',
      'approvals',
      'notes',
      'referrals',
      'plans',
      'planGoals',
      'planActions',
      'tasks',
      'attachments',
      'assessments',
      'ratings',
      'disagreements',
      'panelDecisions',
      'dissents',
      'consents',
      'legalHolds',
      'disclosures',
      'breakGlassGrants',
    ]) {
      expect(details.categories[category], category).toBeGreaterThan(0);
    }
    expect(details.categories.notes).toBe(6);

    // The subject export after anonymisation shows nothing identifying.
    const exported = await w.as(
      'data_protection_officer',
      'GET',
      `/api/subject-requests/persons/${record.personId}/export`,
    );
    expect(exported.statusCode).toBe(200);
    const body = exported.body;
    for (const identifying of [record.canary, 'Gulnara', 'Aigerim', w.whereaboutsCanary]) {
      expect(body).not.toContain(identifying);
    }
    expect(exported.json().records.person_names).toEqual([
      expect.objectContaining({ full_name: '[anonymised]' }),
    ]);
    // The audit trail, append-only, never held the canary.
    const audit = await whereFound(record.canary);
    expect(Object.keys(audit).filter((k) => k.startsWith('audit_events.'))).toEqual([]);
  });

  it('deletes a person with everything in every module, attachment files included', async () => {
    const record = w.records.myAgencyUnassigned;
    const { attachmentId } = await populate(record);
    expect(Object.keys(await whereFound(record.canary)).length).toBeGreaterThanOrEqual(expectedPlaces.length);
    const deleted = await w.as(
      'data_protection_officer',
      'DELETE',
      `/api/retention/persons/${record.personId}`,
    );
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await whereFound(record.canary)).toEqual({});
    expect(existsSync(join(attachmentsDir, attachmentId))).toBe(false);
    const entry = await w.handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'retention.delete')
      .where('target_id', '=', record.personId)
      .executeTakeFirstOrThrow();
    expect(entry.details).toEqual({ cases: 1, attachments: 1 });
  });
});
