/**
 * The log every part writes to. Lines are a message and a record of fields;
 * a request's lines all carry its requestId (`withFields`), the id its
 * client sees as X-Request-Id and as the error body's traceId.
 */
export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/** The same log, with `fields` added to every line. */
export function withFields(log: Logger, fields: Fields): Logger {
  return {
    info: (message, more) => log.info(message, { ...fields, ...more }),
    warn: (message, more) => log.warn(message, { ...fields, ...more }),
    error: (message, more) => log.error(message, { ...fields, ...more }),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
