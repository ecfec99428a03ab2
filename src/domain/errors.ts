/**
 * Every error the app raises on purpose is a LeadliftError: its message is written for the
 * person who has to act on it (a CRM admin, a manager), never contains a secret, and carries
 * the CLI exit code (2 = bad input the user can fix, 1 = a failure while doing the work).
 */
export class LeadliftError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The input (a file, a flag, a config value) is wrong; the message says which and where. */
export class InputError extends LeadliftError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A configuration key holds a value that cannot be used. */
export class ConfigError extends InputError {
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`Configuration "${key}": ${problem}`);
    this.key = key;
  }
}
