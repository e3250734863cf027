import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { HONEYPOT_FIELD } from "#app/utils/honeypot.ts";
import { TextField } from "./ui/field.tsx";

/**
 * The fields of the account forms (sign in, sign up, password reset, invitation,
 * first administrator), written once so each form asks for a name, an address or
 * a password the same way: same labels, hints, autocomplete tokens and ids.
 */

type StringField = FieldMetadata<string>;

export const PASSWORD_HINT = "At least 10 characters. Three random words make a strong, memorable password.";

/** A hidden field people leave empty and bots fill in (see utils/honeypot.ts). */
export function HoneypotField({ id }: { id: string }) {
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor={id}>Leave this empty</label>
      <input id={id} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
    </div>
  );
}

/** The person's full name; with `forCertificates`, the hint says where it is printed. */
export function FullNameField({ field, forCertificates = false }: { field: StringField; forCertificates?: boolean }) {
  return (
    <TextField
      label="Full name"
      hint={forCertificates ? "As it should appear on your certificates" : undefined}
      errors={field.errors}
      autoComplete="name"
      spellCheck={false}
      {...getInputProps(field, { type: "text", ariaAttributes: false })}
      id={field.id}
    />
  );
}

export function EmailAddressField({ field }: { field: StringField }) {
  return (
    <TextField
      label="Email address"
      errors={field.errors}
      autoComplete="email"
      spellCheck={false}
      {...getInputProps(field, { type: "email", ariaAttributes: false })}
      id={field.id}
    />
  );
}

/** A password field: the account's current one (sign in) or a new one with its hint. */
export function PasswordField({ field, label, purpose, hint }: { field: StringField; label: string; purpose: "current" | "new"; hint?: string }) {
  return (
    <TextField
      label={label}
      hint={hint}
      errors={field.errors}
      autoComplete={purpose === "current" ? "current-password" : "new-password"}
      {...getInputProps(field, { type: "password", ariaAttributes: false })}
      id={field.id}
    />
  );
}

/** A new password and its confirmation, as every form that sets a password asks for them. */
export function NewPasswordFields({
  password,
  confirm,
  labels = ["Create a password", "Confirm password"],
}: {
  password: StringField;
  confirm: StringField;
  labels?: [string, string];
}) {
  return (
    <>
      <PasswordField field={password} label={labels[0]} purpose="new" hint={PASSWORD_HINT} />
      <PasswordField field={confirm} label={labels[1]} purpose="new" />
    </>
  );
}
