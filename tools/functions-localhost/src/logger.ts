/** Where the host's own messages and the app's context.log calls go. One line per message, prefixed by source. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type HostLogger = (level: LogLevel, source: string, message: string) => void;

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** Writes to stderr (stdout is kept for the URLs the CLI prints, which supervisors parse). */
export function consoleLogger(minimum: LogLevel = 'info'): HostLogger {
  return (level, source, message) => {
    if (ORDER[level] < ORDER[minimum]) return;
    process.stderr.write(`${new Date().toISOString()} [${level}] ${source}: ${message}\n`);
  };
}

export const silentLogger: HostLogger = () => {};

/** Maps @azure/functions' log level names onto the host's. */
export function fromFunctionsLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
      return 'trace';
    case 'debug':
      return 'debug';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
    default:
      return 'info';
  }
}
