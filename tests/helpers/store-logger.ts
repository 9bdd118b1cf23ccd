/** A logger for the data stores that remembers what it was told, so a test can read the errors and warnings. */
export function storeLogger() {
  const errors: string[] = [];
  const warnings: string[] = [];
  return {
    errors,
    warnings,
    logger: {
      error: (...messages: unknown[]) => {
        errors.push(messages.map(String).join(' '));
      },
      warn: (...messages: unknown[]) => {
        warnings.push(messages.map(String).join(' '));
      },
    },
  };
}
