-- Sign-in throttling shared by every web process (lib/auth/throttle.ts): failed attempts per key
-- (a client IP, an account, an account from one IP) and until when that key must wait.
CREATE TABLE "signin_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signin_throttle_updated_at_idx" ON "signin_throttle" ("updated_at");
