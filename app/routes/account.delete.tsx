import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { signOut } from "#app/services/account.server.ts";
import { AccountDeletionError, accountDeletionSummary, deleteAccount } from "#app/models/platform/account-deletion.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { DELETE_CONFIRMATION_WORD, DeleteAccountSchema } from "#app/utils/privacy-validation.ts";
import { requireUser } from "#app/services/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return accountDeletionSummary(user.id);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema: DeleteAccountSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  try {
    await deleteAccount(user.id, submission.value.password);
  } catch (error) {
    if (!(error instanceof AccountDeletionError)) throw error;
    const reply =
      error.field === "form"
        ? submission.reply({ formErrors: [error.message], hideFields: ["password"] })
        : submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: ["password"] });
    return data({ result: reply }, { status: error.status });
  }
  // The session row is gone already; this clears the browser's cookies.
  const headers = await signOut(request);
  return redirect("/account/deleted", { headers: cookieHeaders(headers) });
}

export const meta: MetaFunction = () => [{ title: "Delete your account – Distinct" }];

export default function DeleteAccountPage() {
  const { certificates, organisations, blockers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "delete-account",
    lastResult: actionData?.result,
    constraint: getZodConstraint(DeleteAccountSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeleteAccountSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.password, fields.confirm])} />
      <h1>Delete your account</h1>
      <p>Deleting your account cannot be undone. When you delete it:</p>
      <ul>
        <li>your name and email address are erased, you are signed out on every device, and you cannot sign in again (you can create a new account with the same address later, starting afresh)</li>
        <li>
          {certificates === 0
            ? "you have no certificates, so nothing needs checking later"
            : `your ${certificates === 1 ? "certificate" : `${certificates} certificates`} can no longer be verified: anyone who checks a code is told the holder deleted their account, without your name`}
        </li>
        {organisations.length > 0 ? (
          <li>
            you leave {organisations.join(", ")}. {organisations.length === 1 ? "It keeps" : "They keep"} anonymous
            records of the training you did, so their figures stay right, but not your name, email or staff number
          </li>
        ) : null}
        <li>your assessment answers stay in anonymous statistics about which offences people confuse</li>
      </ul>
      <p>
        If you want to keep evidence of your training, <a href="/account/training-record.pdf" download>download your training record</a>{" "}
        and <a href="/account/my-data.json" download>your data</a> first.
      </p>

      {blockers.length > 0 ? (
        <div className="notification notification--warning" role="region" aria-labelledby="cannot-delete">
          <h2 id="cannot-delete">You cannot delete your account yet</h2>
          <ul>
            {blockers.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextField
            label="Your password"
            hint="To check it is you."
            errors={fields.password.errors}
            autoComplete="current-password"
            {...getInputProps(fields.password, { type: "password", ariaAttributes: false })}
            id={fields.password.id}
          />
          <TextField
            label={`Type “${DELETE_CONFIRMATION_WORD}” to confirm`}
            errors={fields.confirm.errors}
            autoComplete="off"
            spellCheck={false}
            className="input--narrow"
            {...getInputProps(fields.confirm, { type: "text", ariaAttributes: false })}
            id={fields.confirm.id}
          />
          <Button variant="warning">Delete my account</Button>
        </Form>
      )}
      <p>
        <Link to="/account">Keep my account</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
