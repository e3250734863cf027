import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup, TextField } from "#app/components/ui/field.tsx";
import { getOrganisationDomains } from "#app/models/organisations/organisation.server.ts";
import { getSsoSettings, removeSso, saveOidcSettings, ssoRedirectUri, SsoInputError } from "#app/models/organisations/sso.server.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { SsoRemoveSchema, SsoSettingsSchema } from "#app/utils/sso-validation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const settings = await getSsoSettings(organisation.id);
  const domains = await getOrganisationDomains(organisation.id);
  return { organisation: { name: organisation.name, slug: organisation.slug }, settings, domains, redirectUri: settings?.redirectUri ?? ssoRedirectUri(organisation.slug) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const formData = await request.formData();
  if (formData.get("intent") === "remove" && SsoRemoveSchema.safeParse({ intent: "remove" }).success) {
    await removeSso(user, organisation.id);
    return redirect(`/org/${organisation.slug}/sso?removed=1`);
  }
  const submission = parseWithZod(formData, { schema: SsoSettingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["clientSecret"] }) }, { status: 400 });
  try {
    await saveOidcSettings(user, organisation, submission.value);
  } catch (error) {
    if (!(error instanceof SsoInputError)) throw error;
    return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: ["clientSecret"] }) }, { status: 400 });
  }
  return redirect(`/org/${organisation.slug}/sso?saved=1`);
}

export const meta: MetaFunction = () => [{ title: "Single sign-on – Distinct" }];

export default function SsoPage() {
  const { settings, domains, redirectUri } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "sso",
    defaultValue: { issuer: settings?.issuer ?? "", clientId: settings?.clientId ?? "", domains: settings?.domains ?? domains, requireSso: settings?.requireSso ? "on" : undefined },
    lastResult: actionData?.result,
    constraint: getZodConstraint(SsoSettingsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SsoSettingsSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const chosen = fields.domains.initialValue;
  return (
    <div className="two-thirds">
      <ErrorSummary errors={summaryErrors(form.errors, [fields.issuer, fields.clientId, fields.clientSecret, fields.domains])} />
      {(searchParams.get("saved") || searchParams.get("removed")) && !actionData ? (
        <div className="notification notification--success" role="status">
          <p className="notification__title">{searchParams.get("saved") ? "Single sign-on saved." : "Single sign-on removed: everyone signs in with a password or an emailed link."}</p>
        </div>
      ) : null}
      <h1>Single sign-on</h1>
      <p>
        Let your staff sign in with their force account (Microsoft Entra ID or another OpenID Connect service) instead of
        a Distinct password. Someone signing in for the first time joins your organisation as a learner, using a seat
        as an invitation would.
      </p>
      {domains.length === 0 ? (
        <p>Your organisation has no email domains yet. Ask a platform administrator to add them first.</p>
      ) : (
        <>
          <h2>Register Distinct with your identity provider</h2>
          <p>Use this redirect URI (web platform):</p>
          <p>
            <code>{redirectUri}</code>
          </p>
          <Form method="post" {...getFormProps(form)} noValidate>
            <TextField
              label="Issuer"
              hint="For Entra ID: https://login.microsoftonline.com/<directory (tenant) ID>/v2.0"
              errors={fields.issuer.errors}
              spellCheck={false}
              {...getInputProps(fields.issuer, { type: "url", ariaAttributes: false })}
              id={fields.issuer.id}
            />
            <TextField
              label="Client ID"
              hint="For Entra ID: the application (client) ID"
              errors={fields.clientId.errors}
              spellCheck={false}
              autoComplete="off"
              {...getInputProps(fields.clientId, { type: "text", ariaAttributes: false })}
              id={fields.clientId.id}
            />
            <TextField
              label="Client secret"
              hint={settings ? "A secret is saved. Leave this empty to keep it, or enter a new one." : "The secret's value (not its ID). It is stored encrypted."}
              errors={fields.clientSecret.errors}
              autoComplete="off"
              {...getInputProps(fields.clientSecret, { type: "password", ariaAttributes: false })}
              id={fields.clientSecret.id}
            />
            <ChoiceGroup
              id={fields.domains.id}
              legend="Email domains that sign in this way"
              type="checkbox"
              name={fields.domains.name}
              errors={fields.domains.errors}
              defaultValue={Array.isArray(chosen) ? chosen.filter((d): d is string => typeof d === "string") : typeof chosen === "string" ? [chosen] : []}
              options={domains.map((d) => ({ value: d, label: d }))}
            />
            <ChoiceGroup
              id={fields.requireSso.id}
              legend="Passwords"
              type="checkbox"
              name={fields.requireSso.name}
              defaultValue={fields.requireSso.initialValue === "on" ? ["on"] : []}
              options={[
                {
                  value: "on",
                  label: "Require single sign-on for these domains",
                  hint: "Password and emailed-link sign-in are then refused for these addresses. Check that single sign-on works first.",
                },
              ]}
            />
            <Button name="intent" value="save">
              Save single sign-on
            </Button>
          </Form>
          {settings ? (
            <Form method="post">
              <h2>Stop using single sign-on</h2>
              <p>People keep their accounts; those without a password can ask for an emailed sign-in link or reset their password.</p>
              <Button variant="warning" name="intent" value="remove">
                Remove single sign-on
              </Button>
            </Form>
          ) : null}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
