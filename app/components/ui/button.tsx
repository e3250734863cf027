import { Link, type LinkProps } from "@remix-run/react";
import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "warning";

export function Button({ variant = "primary", className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type="submit" {...props} className={["button", `button--${variant}`, className].filter(Boolean).join(" ")} />;
}

/** A link that looks like a button: for navigation that starts something (no state change). */
export function ButtonLink({ variant = "primary", className, ...props }: LinkProps & { variant?: Variant }) {
  return <Link {...props} className={["button", `button--${variant}`, className].filter(Boolean).join(" ")} />;
}
