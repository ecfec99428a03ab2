import type { Command, Option } from 'commander';

/** Flags whose values are secrets: a refusal names the flag but never repeats what was typed. */
const SECRET_FLAG = /token|secret|password/i;

/**
 * Commander keeps the last of a repeated flag, so `evaluate --label y --label z` silently trained
 * on "z". A flag that takes one value is refused when given twice (exit 2, as other usage errors),
 * naming both values so the admin sees which one they meant. A flag meant to repeat (--positive,
 * --exclude, --lead) is one whose parser takes the previous value, commander's documented way to
 * collect repeats (`(value, previous) => [...previous, value]`): those are left alone, as are
 * on/off flags (--json twice means the same) and values from the environment.
 */
export function refuseRepeatedFlags(command: Command): void {
  for (const option of command.options) {
    if (!takesOneValue(option)) continue;
    const given: unknown[] = [];
    command.on(`option:${option.name()}`, (value: unknown) => {
      given.push(value);
      if (given.length < 2) return;
      const flag = option.long ?? option.short ?? option.flags;
      const values = SECRET_FLAG.test(option.name()) ? '' : ` (${given.map(String).join(', ')})`;
      command.error(`error: ${flag} was given twice${values}: give it once`, { code: 'leadlift.repeatedOption' });
    });
  }
  for (const sub of command.commands) refuseRepeatedFlags(sub);
}

function takesOneValue(option: Option): boolean {
  if (!option.required && !option.optional) return false;
  if (option.variadic) return false;
  // A collector is declared (value, previous); a converter such as integer('--seed') takes only the value.
  return !(option.parseArg && option.parseArg.length >= 2);
}
