ALTER TABLE "checkouts" ADD COLUMN "quote_network" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_asset" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_units" numeric(78, 0);--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_rate" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_currency" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_source" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_fetched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_expires_at" timestamp with time zone;