/**
 * Jira's error body `{errorMessages: string[], errors: {field: message}}` as a throwable.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 */
export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }

  /** The JSON body Jira sends. */
  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }

  static badRequest(message: string): JiraError {
    return new JiraError(400, [message]);
  }

  /** 400 with per-field messages, e.g. `{summary: 'You must specify a summary of the issue.'}`. */
  static fields(errors: Record<string, string>): JiraError {
    return new JiraError(400, [], errors);
  }

  static notFound(message: string): JiraError {
    return new JiraError(404, [message]);
  }

  static forbidden(message = 'You do not have permission to perform this operation.'): JiraError {
    return new JiraError(403, [message]);
  }

  static unauthorized(): JiraError {
    return new JiraError(401, ['Client must be authenticated to access this resource.']);
  }
}
