import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Write = (...args: unknown[]) => void;

/**
 * `request.log`, made lazily: Fastify asks for a child logger (bound to the request id) for every request,
 * and making a pino child (bindings serialized, redaction set up) costs more than most requests log — which
 * is nothing. This stands in for it and makes the real child the first time the request logs.
 */
class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.real.fatal as Write)(...args);
  }
  error(...args: unknown[]): void {
    (this.real.error as Write)(...args);
  }
  warn(...args: unknown[]): void {
    (this.real.warn as Write)(...args);
  }
  info(...args: unknown[]): void {
    (this.real.info as Write)(...args);
  }
  debug(...args: unknown[]): void {
    (this.real.debug as Write)(...args);
  }
  trace(...args: unknown[]): void {
    (this.real.trace as Write)(...args);
  }
  silent(...args: unknown[]): void {
    (this.real.silent as Write)(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a request's logger, made on first use. */
export function requestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new RequestLogger(parent, bindings, options);
}
