CREATE TABLE "solana_cursors" (
	"network" text NOT NULL,
	"livemode" boolean NOT NULL,
	"address" text NOT NULL,
	"signature" text NOT NULL,
	"slot" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "solana_cursors_network_livemode_address_pk" PRIMARY KEY("network","livemode","address")
);
