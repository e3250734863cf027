import { ChoiceGroup, SelectField, TextField } from "./ui/field.tsx";

/** What the form needs of each conform field (its id, name, errors and starting value). */
type Field = { id: string; name: string; errors?: string[]; initialValue?: unknown };
type Fields = { name: Field; staffNumber: Field; rank: Field; teamId: Field; role: Field };

const initial = (field: Field, fallback = "") => (typeof field.initialValue === "string" ? field.initialValue : fallback);

/** The profile fields a force keeps for each person, shared by the invite and edit forms. */
export function PersonFields({ fields, teams }: { fields: Fields; teams: { id: string; name: string }[] }) {
  return (
    <>
      <TextField id={fields.name.id} name={fields.name.name} label="Full name" hint="As it should appear on their certificates" errors={fields.name.errors} defaultValue={initial(fields.name)} autoComplete="off" />
      <TextField
        id={fields.staffNumber.id}
        name={fields.staffNumber.name}
        label="Staff or collar number (optional)"
        errors={fields.staffNumber.errors}
        defaultValue={initial(fields.staffNumber)}
        className="input--narrow"
        spellCheck={false}
      />
      <TextField id={fields.rank.id} name={fields.rank.name} label="Role or rank (optional)" hint="For example PC, Sergeant or Call handler" errors={fields.rank.errors} defaultValue={initial(fields.rank)} />
      <SelectField
        id={fields.teamId.id}
        name={fields.teamId.name}
        label="Team (optional)"
        errors={fields.teamId.errors}
        defaultValue={initial(fields.teamId)}
        options={[{ value: "", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
      />
      <ChoiceGroup
        id={fields.role.id}
        name={fields.role.name}
        type="radio"
        legend="Access"
        errors={fields.role.errors}
        defaultValue={initial(fields.role, "member")}
        options={[
          { value: "member", label: "Learner", hint: "Takes assigned training. Takes a seat." },
          { value: "admin", label: "Training lead", hint: "Manages people, assignments and reports for the organisation." },
        ]}
      />
    </>
  );
}
