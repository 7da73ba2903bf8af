/** SQL shortened for messages: a 16 MB statement must not become a 16 MB error message. */
export const clip = (sql: string, max = 200): string => (sql.length > max ? `${sql.slice(0, max)}... (${sql.length} characters)` : sql);
