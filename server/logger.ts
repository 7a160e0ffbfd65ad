/**
 * The log every part writes to. Lines are a message and a record of fields;
 * a line about a request carries its requestId, the id its client sees as
 * X-Request-Id and as the error body's traceId.
 */
export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
