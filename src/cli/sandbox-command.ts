import type { Command } from 'commander';

/**
 * `leadlift sandbox`: a local HubSpot and Salesforce for trying the app without an account, and
 * the stage for integration and load tests. Runs until interrupted; with --state it saves on exit.
 * Only the flags and help here; sandbox.ts checks them and loads the sandbox server when it runs.
 */
export function register(program: Command): void {
  program
    .command('sandbox')
    .description('Run a local HubSpot and Salesforce API (seeded from a CSV) that the official SDKs talk to unmodified')
    // Defaults live in the schema in sandbox.ts and are said in words: commander would print "4010" quoted, as text.
    .option('--port <port>', 'port to listen on (default 4010; 0 = any free port)')
    .option('--crm <crm>', 'which CRM to serve: hubspot, salesforce or both (default both)')
    .option('--seed <file>', 'CSV file whose rows become HubSpot contacts and Salesforce Leads (Salesforce Contacts are only the converted Leads\' ones, standard fields only: score Leads there)')
    .option('--label <column>', 'seed column holding the outcome')
    .option('--positive <value>', 'label value meaning won, every other value meaning lost (default: worked out for a yes/no label, as evaluate does: yes/true/1/won/converted… mean won)')
    .option('--order <column>', 'seed column giving the rows their age order (file order when absent)')
    .option('--id <column>', 'seed column with a unique id per row')
    .option('--sep <char>', 'seed field separator (detected from the first lines when absent)')
    .option('--labels <file>', 'JSON object: seed column -> the label its property/field shows (default: the column name)')
    .option('--option-labels <file>', 'JSON object: seed column -> stored value -> option label; those columns become HubSpot dropdowns and Salesforce picklists (default: text fields)')
    .option('--open-fraction <share>', 'share of the newest rows left open, their outcome hidden (default 0.2)')
    .option('--state <file>', 'keep the sandbox state in this file across restarts (a CRM the file does not hold yet is seeded from --seed)')
    .option('--token <token>', 'the access token both CRMs accept (random when absent)')
    .option('--salesforce-client-id <key>', 'consumer key of the Salesforce connected app the OAuth token endpoint accepts (default LEADLIFT_SANDBOX_SALESFORCE_CLIENT_ID, else leadlift-sandbox)')
    .option('--salesforce-client-secret <secret>', 'its consumer secret (default LEADLIFT_SANDBOX_SALESFORCE_CLIENT_SECRET, else leadlift-sandbox-secret)')
    .action(async (raw: Record<string, unknown>) => (await import('./sandbox.js')).sandboxCommand(raw));
}
