// Errors that end a CLI command with a one-line message. Anything else is a bug and is reported
// with its stack trace.

/** A handled failure: bad configuration, unreachable database, missing record… Exit status 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly code: string = 'error',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wrong use of the CLI: unknown command, missing argument. Exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The message of any thrown value, for one-line reports. */
export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(messageOf).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
