// Request-field validators that endpoints of several resources share (their OpenAPI schemas come
// from the same definitions).
import { z } from "zod";

/** An http(s) URL a merchant gives us (redirects, callbacks, webhook endpoints). */
export const httpUrlInput = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048);
