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
  for (const option of required) {
    option.makeOptionMandatory(false);
    // Commander's help never marks a required option, so `score --help` read as if --input,
    // --model and --output could be left out: said here, where they stop being mandatory for it.
    option.description = `${option.description} (required)`;
  }
  if (required.length > 0) {
    command.hook('preAction', (own) => {
      // Every absent one at once: naming only the first had `score --input f` fail once for --model, then again for --output.
      const absent = required.filter((o) => own.getOptionValue(o.attributeName()) === undefined).map((o) => `'${o.flags}'`);
      if (absent.length === 1) own.error(`error: required option ${absent[0]} not specified`, { code: 'commander.missingMandatoryOptionValue' });
      if (absent.length > 1) own.error(`error: required options ${absent.slice(0, -1).join(', ')} and ${absent.at(-1)} not specified`, { code: 'commander.missingMandatoryOptionValue' });
    });
  }
  for (const sub of command.commands) unknownOptionsFirst(sub);
}
