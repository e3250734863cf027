/**
 * A small structured logger: one line per event, key=value pairs after the
 * message, so logs read well in a terminal and grep well in production.
 */
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const level = process.env.LOG_LEVEL;
  return level === "debug" || level === "info" || level === "warn" || level === "error" ? order[level] : order.info;
}

function format(fields: Record<string, unknown> | undefined): string {
  if (!fields) return "";
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = value instanceof Error ? value.message : typeof value === "string" ? value : JSON.stringify(value);
      return ` ${key}=${/[\s"]/.test(text ?? "") ? JSON.stringify(text) : text}`;
    })
    .join("");
}

function write(level: Level, scope: string, message: string, fields?: Record<string, unknown>) {
  if (order[level] < threshold()) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}${format(fields)}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export function createLogger(scope: string) {
  return {
    debug: (message: string, fields?: Record<string, unknown>) => write("debug", scope, message, fields),
    info: (message: string, fields?: Record<string, unknown>) => write("info", scope, message, fields),
    warn: (message: string, fields?: Record<string, unknown>) => write("warn", scope, message, fields),
    error: (message: string, fields?: Record<string, unknown>) => write("error", scope, message, fields),
  };
}
