/**
 * Who is signed in, as every layer sees it. A leaf module: models take a
 * SessionUser as the actor without importing the session service above them.
 */
export const PLATFORM_ROLES = ["admin", "author", "user"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: PlatformRole;
  emailVerified: boolean;
};
