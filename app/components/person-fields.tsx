import { ChoiceGroup, SelectField, TextField, bindField, type BoundField } from "./ui/field.tsx";

type Fields = { name: BoundField; staffNumber: BoundField; rank: BoundField; teamId: BoundField; role: BoundField };

/** The profile fields a force keeps for each person, shared by the invite and edit forms. */
export function PersonFields({ fields, teams }: { fields: Fields; teams: { id: string; name: string }[] }) {
  return (
    <>
      <TextField {...bindField(fields.name)} label="Full name" hint="As it should appear on their certificates" autoComplete="off" />
      <TextField
        {...bindField(fields.staffNumber)}
        label="Staff or collar number (optional)"
        className="input--narrow"
        spellCheck={false}
      />
      <TextField {...bindField(fields.rank)} label="Role or rank (optional)" hint="For example PC, Sergeant or Call handler" />
      <SelectField
        {...bindField(fields.teamId)}
        label="Team (optional)"
        options={[{ value: "", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
      />
      <ChoiceGroup
        {...bindField(fields.role, "member")}
        type="radio"
        legend="Access"
        options={[
          { value: "member", label: "Learner", hint: "Takes assigned training. Takes a seat." },
          { value: "admin", label: "Training lead", hint: "Manages people, assignments and reports for the organisation." },
        ]}
      />
    </>
  );
}
