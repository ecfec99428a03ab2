import type { Kysely, Migration } from 'kysely';

const PAGE = 2000;

/**
 * records.converted: 1 when the CRM converted the lead (Salesforce Lead.IsConverted). A converted
 * lead is no longer worked as a lead, and a Salesforce org refuses every update of it
 * (CANNOT_UPDATE_CONVERTED_LEAD) unless its admin lets users edit converted leads: while its
 * opportunity is still open it has no outcome, yet it is not an open lead to score or write.
 * Leads already stored are marked from the IsConverted value they were synced with, since a
 * Salesforce sync is incremental and would not read them again.
 */
export const recordsConverted: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('records').addColumn('converted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    let afterId = '';
    for (;;) {
      const rows: Array<{ object_type: string; id: string; properties: string }> = await db
        .selectFrom('records')
        .select(['object_type', 'id', 'properties'])
        .where('crm', '=', 'salesforce')
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      if (rows.length === 0) return;
      afterId = rows[rows.length - 1].id;
      const converted = rows.filter((r) => isConverted(r.properties));
      for (const type of new Set(converted.map((r) => r.object_type))) {
        const ids = converted.filter((r) => r.object_type === type).map((r) => r.id);
        await db.updateTable('records').set({ converted: 1 }).where('crm', '=', 'salesforce').where('object_type', '=', type).where('id', 'in', ids).execute();
      }
    }
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('records').dropColumn('converted').execute();
  },
};

function isConverted(properties: string): boolean {
  try {
    return (JSON.parse(properties) as Record<string, unknown>).IsConverted === 'true';
  } catch {
    return false;
  }
}
