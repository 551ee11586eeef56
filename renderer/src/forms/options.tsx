// The <option> list of a <select>: each choice by value and label, where a bare string is both. Every select in the
// console renders its choices through this.
export type Choice = string | { value: string; label: string };

export function Options({ choices }: { choices: readonly Choice[] }) {
  return (
    <>
      {choices.map((choice) => {
        const { value, label } = typeof choice === 'string' ? { value: choice, label: choice } : choice;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </>
  );
}
