/**
 * The CRM field name a CSV column becomes when seeding: lower-cased, every run of characters
 * other than a-z and 0-9 turned into one `_` ("Lead Source" -> "lead_source", "emp.var.rate" ->
 * "emp_var_rate"). Salesforce custom fields add `__c` to this.
 */
export function fieldNameForColumn(column: string): string {
  return column.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}
