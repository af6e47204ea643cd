// Any other path under this prefix: a 404 in the error envelope, never an HTML page.
import { notFoundRoutes } from "@/lib/api/not-found";

export const { GET, POST, PUT, PATCH, DELETE } = notFoundRoutes;
