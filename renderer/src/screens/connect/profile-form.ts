// The pure half of the profiles panel: a profile kind describes its form as a list of fields; these helpers turn
// that description into the form's first values, the field names server causes are matched against, and the
// profile to fall back on when none is chosen yet.

export type ProfileFormValues = Record<string, string | boolean>;

interface FieldBase<F extends ProfileFormValues> {
  key: keyof F & string;
  label: string;
  hint?: string;
  placeholder?: string;
  /** Disabled while this (select or text) field is empty, e.g. the SASL user until a mechanism is picked. */
  enabledBy?: keyof F & string;
  /**
   * The name server causes use for this field when it differs from `key` (the SASL select answers for `sasl`).
   * Such a field names a group, so it is matched after the group's own members (`sasl.username` → user).
   */
  errorKey?: string;
}

export type ProfileField<F extends ProfileFormValues> = FieldBase<F> &
  (
    | { type: 'text' }
    | { type: 'secret' }
    | { type: 'select'; options: readonly { value: string; label: string }[] }
    | { type: 'checkbox' }
  );

/** Names of the fields that can show an error, members before group aliases (see `errorKey`). */
export function errorFieldNames<F extends ProfileFormValues>(fields: readonly ProfileField<F>[]): string[] {
  const showsErrors = fields.filter((field) => field.type !== 'checkbox');
  return [
    ...showsErrors.filter((field) => !field.errorKey).map((field) => field.key),
    ...showsErrors.flatMap((field) => (field.errorKey ? [field.errorKey] : [])),
  ];
}

/** The name a field's error is filed under. */
export function errorNameOf<F extends ProfileFormValues>(field: ProfileField<F>): string {
  return field.errorKey ?? field.key;
}

export function isEnabled<F extends ProfileFormValues>(field: ProfileField<F>, form: F): boolean {
  return field.enabledBy === undefined || Boolean(form[field.enabledBy]);
}

/**
 * With no profile chosen yet (or the chosen one gone), the playground's profile, else the only one: the demo
 * works without a detour. Undefined = keep the current choice.
 */
export function fallbackProfileId(
  profiles: readonly { id: string; origin: 'user' | 'playground' }[],
  currentId: string | null,
): string | undefined {
  if (profiles.length === 0 || profiles.some((profile) => profile.id === currentId)) return undefined;
  const preferred =
    profiles.find((profile) => profile.origin === 'playground') ??
    (profiles.length === 1 ? profiles[0] : undefined);
  return preferred?.id;
}

/** A comma-separated list as typed → its trimmed, non-empty items. */
export function listOf(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
