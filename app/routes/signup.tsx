import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { signUp } from "#app/services/account.server.ts";
import { isHoneypotFilled } from "#app/utils/honeypot.ts";
import { requireAnonymous } from "#app/services/session.server.ts";
import { SignupSchema } from "#app/utils/user-validation.ts";
import { EmailAddressField, FullNameField, HoneypotField, NewPasswordFields } from "#app/components/account-fields.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: SignupSchema });
  if (isHoneypotFilled(formData)) {
    return data({ result: submission.reply({ formErrors: ["The form could not be sent. Try again."] }), sentTo: null }, { status: 400 });
  }
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }), sentTo: null }, { status: 400 });
  }
  const outcome = await signUp(submission.value);
  if (!outcome.ok) {
    return data(
      {
        result: submission.reply({
          formErrors: outcome.formError ? [outcome.formError] : [],
          fieldErrors: outcome.fieldErrors,
          hideFields: ["password", "confirmPassword"],
        }),
        sentTo: null,
      },
      { status: outcome.status },
    );
  }
  return data({ result: submission.reply({ resetForm: true }), sentTo: submission.value.email });
}

export const meta: MetaFunction = () => [{ title: "Create an account – Distinct" }];

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "signup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignupSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });

  if (actionData?.sentTo) {
    return (
      <div className="two-thirds">
        <div className="panel panel--success">
          <h1 className="panel__title">Check your email</h1>
          <p>We have sent a link to {actionData.sentTo}</p>
        </div>
        <p>Open the link in the email to confirm your address, then sign in. The link works for 24 hours.</p>
        <p>If you cannot find the email, check your junk folder. It comes from Distinct.</p>
        <p>
          <Link to="/login">Go to sign in</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="two-thirds">
      <ErrorSummary
        errors={summaryErrors(form.errors, [fields.name, fields.email, fields.password, fields.confirmPassword])}
      />
      <h1>Create an account</h1>
      <p>
        Use your work email address. If your force or agency uses Distinct, you will join it when you confirm your
        address.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <HoneypotField id="signup-website" />
        <FullNameField field={fields.name} forCertificates />
        <EmailAddressField field={fields.email} />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
        <Button disabled={navigation.state === "submitting"}>Create account</Button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
