import type { Command } from 'commander';

/**
 * Commander checks required options before unknown ones, so `leadlift evaluate --lable y` said
 * "required option '--label <column>' not specified" and never named the misspelt option the
 * user did type. Here required options are checked after the unknown-option check (in a
 * preAction hook, which commander runs after it), so the typo is named first with commander's
 * own "(Did you mean --label?)"; a required option that is simply absent gets commander's words.
 */
export function unknownOptionsFirst(command: Command): void {
  const required = command.options.filter((o) => o.mandatory);
  for (const option of required) option.makeOptionMandatory(false);
  if (required.length > 0) {
    command.hook('preAction', (own) => {
      const absent = required.find((o) => own.getOptionValue(o.attributeName()) === undefined);
      if (absent) own.error(`error: required option '${absent.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
    });
  }
  for (const sub of command.commands) unknownOptionsFirst(sub);
}
