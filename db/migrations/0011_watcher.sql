ALTER TABLE "network_status" ADD COLUMN "watch_paused_reason" text;--> statement-breakpoint
ALTER TABLE "network_status" ADD COLUMN "watch_resume" boolean DEFAULT false NOT NULL;