// @ts-check

/**
 * The history of deployment reports seen per entity: one row per distinct
 * report (spec digest + digest of the report text), from a fetch of the
 * entity's report or from a revalidation of its package.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cloud_native_report_history', table => {
    table.comment('Distinct deployment reports seen per catalog entity');
    table.increments('id').comment('Row id, increasing in insertion order');
    table
      .text('entity_ref')
      .notNullable()
      .comment('The entity ref, lowercased (kind:namespace/name)');
    table
      .timestamp('recorded_at', { useTz: true })
      .notNullable()
      .comment('When this report was first seen');
    table
      .text('spec_digest')
      .notNullable()
      .comment('metadata.specDigest of the report');
    table
      .string('report_digest', 64)
      .notNullable()
      .comment('sha256 (hex) of the report text');
    table.string('validation_status', 8).notNullable().comment('pass or fail');
    table.integer('errors').notNullable().comment('Findings of severity error');
    table
      .integer('warnings')
      .notNullable()
      .comment('Findings of severity warning');
    table
      .double('monthly_cost')
      .nullable()
      .comment('estimated_costs.monthly, in the report currency');
    table.unique(['entity_ref', 'spec_digest', 'report_digest'], {
      indexName: 'cloud_native_report_history_distinct_idx',
    });
    table.index(
      ['entity_ref', 'recorded_at'],
      'cloud_native_report_history_entity_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cloud_native_report_history');
};
