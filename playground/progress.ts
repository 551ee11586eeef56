// Progress goes to stderr so that `up --json` can keep stdout for the one JSON object.
export type Progress = (message: string) => void;

export const stderrProgress: Progress = (message) => {
  process.stderr.write(`› ${message}\n`);
};

export const silentProgress: Progress = () => {};
