import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { signIn } from "#app/services/account.server.ts";
import { createFirstAdmin, isSetupTokenValid, SetupError } from "#app/services/setup.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";
import { SetupSchema } from "#app/utils/user-validation.ts";
import { EmailAddressField, FullNameField, NewPasswordFields } from "#app/components/account-fields.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const valid = token ? await isSetupTokenValid(token) : false;
  if (!valid) {
    throw new Response(
      "This setup link is not valid. It may have expired or been used, or a platform administrator may already exist. Restart the server to print a new link if there is no administrator.",
      { status: 404 },
    );
  }
  return { token };
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SetupSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }) }, { status: 400 });
  }
  try {
    await createFirstAdmin(submission.value);
  } catch (error) {
    if (error instanceof SetupError) {
      return data({ result: submission.reply({ formErrors: [error.message], hideFields: ["password", "confirmPassword"] }) }, { status: 400 });
    }
    throw error;
  }
  const outcome = await signIn(request, submission.value);
  if (!outcome.ok) return redirect("/login");
  return redirect("/admin", { headers: cookieHeaders(outcome.headers) });
}

export const meta: MetaFunction = () => [{ title: "Create the first administrator – Distinct" }];

export default function SetupPage() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "setup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SetupSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetupSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.name, fields.email, fields.password, fields.confirmPassword])} />
      <span className="caption">First start</span>
      <h1>Create the first platform administrator</h1>
      <p>
        Distinct has no administrator yet. This account will run organisations, licences and certificates, and can make
        other trust staff administrators or authors. This link works once.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="token" value={token} />
        <FullNameField field={fields.name} />
        <EmailAddressField field={fields.email} />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} labels={["Password", "Confirm password"]} />
        <Button>Create administrator</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
