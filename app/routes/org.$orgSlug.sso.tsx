import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { summaryErrors } from "#app/components/form-errors.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ConfirmAction } from "#app/components/ui/confirm.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { ChoiceGroup, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { getOrganisationDomains } from "#app/models/organisations/organisation.server.ts";
import {
  countSsoAccounts,
  getSsoSettings,
  removeSso,
  samlServiceProvider,
  saveOidcSettings,
  saveSamlSettings,
  ssoRedirectUri,
  SsoInputError,
} from "#app/models/organisations/sso.server.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { plural } from "#app/utils/format.ts";
import { SamlSettingsSchema, SsoRemoveSchema, SsoSettingsSchema } from "#app/utils/sso-validation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const settings = await getSsoSettings(organisation.id);
  const domains = await getOrganisationDomains(organisation.id);
  const url = new URL(request.url);
  // ?protocol= picks the form (links, so it works without JavaScript); ?remove=1 is the confirmation step.
  const asked = url.searchParams.get("protocol");
  const protocol = asked === "saml" || asked === "oidc" ? asked : (settings?.protocol ?? "oidc");
  const confirmRemove = url.searchParams.get("remove") === "1" && settings ? { people: await countSsoAccounts(settings.providerId) } : null;
  return {
    organisation: { name: organisation.name, slug: organisation.slug },
    settings,
    domains,
    protocol,
    confirmRemove,
    redirectUri: settings?.redirectUri ?? ssoRedirectUri(organisation.slug),
    serviceProvider: samlServiceProvider(organisation.slug),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "remove" && SsoRemoveSchema.safeParse({ intent }).success) {
    const before = await getSsoSettings(organisation.id);
    await removeSso(user, organisation.id);
    return redirect(`/org/${organisation.slug}/sso?removed=${before ? before.protocol : "none"}`);
  }
  if (intent === "save-saml") {
    const submission = parseWithZod(formData, { schema: SamlSettingsSchema });
    if (submission.status !== "success") return data({ protocol: "saml" as const, result: submission.reply() }, { status: 400 });
    try {
      await saveSamlSettings(user, organisation, submission.value);
    } catch (error) {
      if (!(error instanceof SsoInputError)) throw error;
      return data({ protocol: "saml" as const, result: submission.reply({ fieldErrors: { [error.field]: [error.message] } }) }, { status: 400 });
    }
    return redirect(`/org/${organisation.slug}/sso?saved=saml`);
  }
  const submission = parseWithZod(formData, { schema: SsoSettingsSchema });
  if (submission.status !== "success") return data({ protocol: "oidc" as const, result: submission.reply({ hideFields: ["clientSecret"] }) }, { status: 400 });
  try {
    await saveOidcSettings(user, organisation, submission.value);
  } catch (error) {
    if (!(error instanceof SsoInputError)) throw error;
    return data({ protocol: "oidc" as const, result: submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: ["clientSecret"] }) }, { status: 400 });
  }
  return redirect(`/org/${organisation.slug}/sso?saved=oidc`);
}

export const meta: MetaFunction = () => [{ title: "Single sign-on – Distinct" }];

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function DomainChoices({ id, name, errors, chosen, domains }: { id: string; name: string; errors?: string[]; chosen: unknown; domains: string[] }) {
  return (
    <ChoiceGroup
      id={id}
      legend="Email domains that sign in this way"
      type="checkbox"
      name={name}
      errors={errors}
      defaultValue={Array.isArray(chosen) ? chosen.filter((d): d is string => typeof d === "string") : typeof chosen === "string" ? [chosen] : []}
      options={domains.map((d) => ({ value: d, label: d }))}
    />
  );
}

function RequireChoice({ id, name, on }: { id: string; name: string; on: boolean }) {
  return (
    <ChoiceGroup
      id={id}
      legend="Passwords"
      type="checkbox"
      name={name}
      defaultValue={on ? ["on"] : []}
      options={[
        {
          value: "on",
          label: "Require single sign-on for these domains",
          hint: "Password and emailed-link sign-in are then refused for these addresses. Check that single sign-on works first.",
        },
      ]}
    />
  );
}

function OidcForm({ settings, domains, redirectUri }: Pick<Loaded, "settings" | "domains" | "redirectUri">) {
  const actionData = useActionData<typeof action>();
  const own = settings?.protocol === "oidc" ? settings : null;
  const [form, fields] = useForm({
    id: "sso",
    defaultValue: { issuer: own?.issuer ?? "", clientId: own?.clientId ?? "", domains: settings?.domains ?? domains, requireSso: settings?.requireSso ? "on" : undefined },
    lastResult: actionData?.protocol === "oidc" ? actionData.result : undefined,
    constraint: getZodConstraint(SsoSettingsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SsoSettingsSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.issuer, fields.clientId, fields.clientSecret, fields.domains])} />
      <h2>Register Distinct with your identity provider</h2>
      <p>Use this redirect URI (web platform):</p>
      <p>
        <code className="copy-value">{redirectUri}</code>
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
          hint={own ? "A secret is saved. Leave this empty to keep it, or enter a new one." : "The secret's value (not its ID). It is stored encrypted."}
          errors={fields.clientSecret.errors}
          autoComplete="off"
          {...getInputProps(fields.clientSecret, { type: "password", ariaAttributes: false })}
          id={fields.clientSecret.id}
        />
        <DomainChoices id={fields.domains.id} name={fields.domains.name} errors={fields.domains.errors} chosen={fields.domains.initialValue} domains={domains} />
        <RequireChoice id={fields.requireSso.id} name={fields.requireSso.name} on={fields.requireSso.initialValue === "on"} />
        {settings?.protocol === "saml" ? <p>Saving replaces your SAML 2.0 settings.</p> : null}
        <Button name="intent" value="save">
          Save single sign-on
        </Button>
      </Form>
    </>
  );
}

function SamlForm({ settings, domains, serviceProvider }: Pick<Loaded, "settings" | "domains" | "serviceProvider">) {
  const actionData = useActionData<typeof action>();
  const saml = settings?.saml ?? null;
  const [form, fields] = useForm({
    id: "saml",
    defaultValue: {
      idpEntityId: saml?.idpEntityId ?? "",
      ssoUrl: saml?.ssoUrl ?? "",
      certificate: saml?.certificate ?? "",
      domains: settings?.domains ?? domains,
      requireSso: settings?.requireSso ? "on" : undefined,
    },
    lastResult: actionData?.protocol === "saml" ? actionData.result : undefined,
    constraint: getZodConstraint(SamlSettingsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SamlSettingsSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <ErrorSummary errors={summaryErrors(form.errors, [fields.metadataXml, fields.idpEntityId, fields.ssoUrl, fields.certificate, fields.domains])} />
      <h2>Register Distinct with your identity provider</h2>
      <p>Give your IT team these values for Distinct (the service provider):</p>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>Identifier (entity ID)</dt>
          <dd>
            <code>{serviceProvider.entityId}</code>
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>Reply URL (assertion consumer service, HTTP-POST)</dt>
          <dd>
            <code>{serviceProvider.acsUrl}</code>
          </dd>
        </div>
        {saml ? (
          <div className="summary-list__row">
            <dt>Service provider metadata</dt>
            <dd>
              <a href={serviceProvider.metadataUrl}>Download Distinct&apos;s SAML metadata</a>
            </dd>
          </div>
        ) : null}
      </dl>
      <p>
        Assertions must be signed with the certificate below; Distinct refuses unsigned, altered, expired or re-used
        ones. Send the attributes <code>email</code>, <code>givenName</code> and <code>surname</code>, and{" "}
        <code>email_verified</code> with the value <code>true</code> if your directory confirms addresses.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextAreaField
          label="Identity provider metadata XML (optional)"
          hint="Paste the federation metadata document instead of filling in the three fields below. Its entity ID, sign-on URL and signing certificate are used."
          errors={fields.metadataXml.errors}
          rows={6}
          spellCheck={false}
          className="textarea--code"
          {...getTextareaProps(fields.metadataXml, { ariaAttributes: false })}
          id={fields.metadataXml.id}
        />
        <TextField
          label="Identity provider entity ID"
          hint="For Entra ID: the Microsoft Entra Identifier, like https://sts.windows.net/<tenant id>/"
          errors={fields.idpEntityId.errors}
          spellCheck={false}
          autoComplete="off"
          {...getInputProps(fields.idpEntityId, { type: "text", ariaAttributes: false })}
          id={fields.idpEntityId.id}
        />
        <TextField
          label="Sign-on URL"
          hint="For Entra ID: the Login URL, like https://login.microsoftonline.com/<tenant id>/saml2"
          errors={fields.ssoUrl.errors}
          spellCheck={false}
          {...getInputProps(fields.ssoUrl, { type: "url", ariaAttributes: false })}
          id={fields.ssoUrl.id}
        />
        <TextAreaField
          label="Signing certificate"
          hint={
            saml?.certificateExpires
              ? `The saved certificate (${saml.certificateSubject}) is valid until ${saml.certificateExpires.slice(0, 10)}. Paste a new one to replace it.`
              : "For Entra ID: Certificate (Base64). Paste the whole file, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."
          }
          errors={fields.certificate.errors}
          rows={6}
          spellCheck={false}
          className="textarea--code"
          {...getTextareaProps(fields.certificate, { ariaAttributes: false })}
          id={fields.certificate.id}
        />
        <DomainChoices id={fields.domains.id} name={fields.domains.name} errors={fields.domains.errors} chosen={fields.domains.initialValue} domains={domains} />
        <RequireChoice id={fields.requireSso.id} name={fields.requireSso.name} on={fields.requireSso.initialValue === "on"} />
        {settings?.protocol === "oidc" ? <p>Saving replaces your OpenID Connect settings, and deletes their client secret.</p> : null}
        <Button name="intent" value="save-saml">
          Save SAML single sign-on
        </Button>
      </Form>
    </>
  );
}

const PROTOCOL_NAMES = { oidc: "OpenID Connect", saml: "SAML 2.0" } as const;

export default function SsoPage() {
  const { organisation, settings, domains, protocol, confirmRemove, redirectUri, serviceProvider } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const base = `/org/${organisation.slug}/sso`;
  if (confirmRemove && settings && !actionData) {
    return (
      <ConfirmAction
        caption="Single sign-on"
        question="Remove single sign-on?"
        consequences={[
          `stop everyone on ${settings.domains.join(", ")} signing in with their force account (${PROTOCOL_NAMES[settings.protocol]})`,
          confirmRemove.people > 0
            ? `leave the ${plural(confirmRemove.people, "person", "people")} who signed in that way with their accounts and training records, signing in with an emailed link or a password they set by “Forgotten your password?”`
            : "affect no one's account: nobody has signed in with their force account yet",
          settings.requireSso ? "allow password sign-in again for these domains" : "delete the saved settings: to use single sign-on again, enter them again",
        ]}
        intent="remove"
        confirmLabel="Yes, remove single sign-on"
        cancelTo={base}
        reloadDocument
      />
    );
  }
  const saved = searchParams.get("saved");
  const removed = searchParams.get("removed");
  const activeProtocol = actionData?.protocol ?? protocol;
  return (
    <div className="two-thirds">
      {saved && !actionData ? <Notification tone="success" title={saved === "saml" ? "SAML single sign-on saved." : "Single sign-on saved."} /> : null}
      {removed && !actionData ? (
        <Notification tone="success" title="Single sign-on removed">
          <p>Everyone signs in with a password or an emailed link.</p>
        </Notification>
      ) : null}
      <h1>Single sign-on</h1>
      <p>
        Let your staff sign in with their force account (Microsoft Entra ID or another identity provider) instead of a
        Distinct password. Someone signing in for the first time joins your organisation as a learner, using a seat as an
        invitation would.
      </p>
      {domains.length === 0 ? (
        <p>Your organisation has no email domains yet. Ask a platform administrator to add them first.</p>
      ) : (
        <>
          {settings ? (
            <p>
              Set up with <strong>{PROTOCOL_NAMES[settings.protocol]}</strong> for {settings.domains.join(", ")}.
            </p>
          ) : null}
          <h2 id="sso-protocol">How your identity provider connects</h2>
          <nav aria-labelledby="sso-protocol" className="sub-nav">
            <ul>
              {(["oidc", "saml"] as const).map((p) => (
                <li key={p}>
                  <Link to={`${base}?protocol=${p}`} aria-current={activeProtocol === p ? "page" : undefined}>
                    {PROTOCOL_NAMES[p]}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {activeProtocol === "saml" ? (
            <SamlForm settings={settings} domains={domains} serviceProvider={serviceProvider} />
          ) : (
            <OidcForm settings={settings} domains={domains} redirectUri={redirectUri} />
          )}
          {settings ? (
            <>
              <h2>Stop using single sign-on</h2>
              <p>People keep their accounts; those without a password can ask for an emailed sign-in link or reset their password.</p>
              <p>
                <Link to={`${base}?remove=1`} className="button button--warning">
                  Remove single sign-on
                </Link>
              </p>
            </>
          ) : null}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
