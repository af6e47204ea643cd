// Structured logs (pino). Secrets never reach a log line: the redact list covers every header
// and field that can carry one, and request logs carry paths without query strings.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.TOLLGATE_SERVICE ?? "tollgate" },
  redact: {
    paths: [
      "headers.authorization", "headers.cookie", "headers['x-api-key']", "headers['frx-api']", "headers['api-key']",
      "*.password", "*.clientSecret", "*.secret", "*.mnemonic", "*.apiKey", "*.key",
      "password", "clientSecret", "secret", "mnemonic", "apiKey",
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
