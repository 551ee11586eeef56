// Errors the CLI shows as one clear message (no stack): what failed, and what to do or where to look.

/** A required program is missing; names what to install. */
export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    readonly install: string,
  ) {
    super(`'${tool}' was not found on PATH; install ${install}`);
    this.name = 'MissingToolError';
  }
}

/** A part's process died or never became healthy; points at its log. */
export class PartFailedError extends Error {
  constructor(
    readonly part: string,
    readonly log: string,
    reason: string,
    readonly logTail = '',
  ) {
    super(
      `${part} ${reason}; see its log: ${log}${logTail ? `\n--- last lines of ${log} ---\n${logTail}` : ''}`,
    );
    this.name = 'PartFailedError';
  }
}

/** The process exited because a port it was given was taken meanwhile; the caller retries on other ports. */
export class PortTakenError extends PartFailedError {
  constructor(part: string, log: string, logTail: string) {
    super(part, log, 'could not bind its port (taken meanwhile)', logTail);
    this.name = 'PortTakenError';
  }
}
