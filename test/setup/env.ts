// Each test worker talks to the stack's database directly for setup and assertions.
import { inject } from "vitest";

const env = inject("testEnv");
process.env.DATABASE_URL = env.databaseUrl;
process.env.DATABASE_POOL_SIZE = "4";
process.env.LOG_LEVEL = "silent";
