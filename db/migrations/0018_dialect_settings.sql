CREATE TABLE "deposit_valuations" (
	"deposit_id" uuid PRIMARY KEY NOT NULL,
	"base" text NOT NULL,
	"currency" text NOT NULL,
	"quote" text NOT NULL,
	"rate" text NOT NULL,
	"source" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"amount" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "deposit_max_amount" text DEFAULT '100000' NOT NULL;--> statement-breakpoint
ALTER TABLE "deposit_valuations" ADD CONSTRAINT "deposit_valuations_deposit_id_deposits_id_fk" FOREIGN KEY ("deposit_id") REFERENCES "public"."deposits"("id") ON DELETE cascade ON UPDATE no action;