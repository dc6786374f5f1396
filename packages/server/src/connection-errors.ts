// Boot checks of the services a server is given (PostgreSQL, Redis) report one line each:
// the URL without its password and the reason the connection failed.

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable URL)";
  }
}

/** Why a connection failed, in words: a host name with several addresses fails with an AggregateError whose own message is empty. */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(reasonOf).join("; ");
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
