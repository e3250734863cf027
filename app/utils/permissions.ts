/** Client twins of the server's role checks, for hiding links. The server check is the gate. */
export function userHasPlatformRole(user: { role: string } | null | undefined, role: "admin" | "author"): boolean {
  return !!user && (user.role === "admin" || user.role === role);
}
